import { existsSync } from 'node:fs';
import { defineVigilApp, startVigilService } from '@vigil/messaging';
import { resolveModelsDir, SentenceEmbedder } from '@vigil/embeddings';
import { LlamaBackend } from './llama-backend';
import { ggufPath, modelGatewayEnv } from './model-gateway.config';
import { ModelGatewayModule, modelGatewayHttpOptions } from './model-gateway.module';

export const modelGatewayApp = defineVigilApp({
  name: 'model-gateway',
  env: modelGatewayEnv,
  start: async (settings, logger) => {
    const modelPath = ggufPath(settings, () => resolveModelsDir());
    if (!existsSync(modelPath)) {
      throw new Error(
        `model-gateway: no GGUF model at ${modelPath}; run \`npm run models:fetch\` ` +
          'or set MODEL_GATEWAY_GGUF_PATH',
      );
    }
    // The chat model and the sentence model load side by side: each spends much of its load in
    // native code and file reads, so together they take little more than the larger alone.
    const [chat, embedder] = await Promise.all([
      LlamaBackend.load(
        {
          modelPath,
          modelId: settings.chatModel,
          threads: settings.threads,
          contextSize: settings.contextSize,
        },
        logger,
      ),
      SentenceEmbedder.load({ intraOpThreads: settings.threads }),
    ]);
    await startVigilService({
      module: ModelGatewayModule.forRoot(settings, { chat, embedder }, logger),
      logger,
      port: settings.port,
      ...modelGatewayHttpOptions,
    });
    logger.log({ msg: 'model-gateway started', port: settings.port });
  },
});
