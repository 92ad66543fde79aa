import { existsSync } from 'node:fs';
import { defineVigilApp, startVigilService } from '@vigil/messaging';
import { resolveModelsDir, SentenceEmbedder } from '@vigil/embeddings';
import { LlamaBackend } from './llama-backend';
import { ggufPath, modelGatewayEnvSchema } from './model-gateway.config';
import { ModelGatewayModule } from './model-gateway.module';

export const modelGatewayApp = defineVigilApp({
  name: 'model-gateway',
  envSchema: modelGatewayEnvSchema,
  start: async (config, logger) => {
    const modelPath = ggufPath(config, () => resolveModelsDir());
    if (!existsSync(modelPath)) {
      throw new Error(
        `model-gateway: no GGUF model at ${modelPath}; run \`npm run models:fetch\` ` +
          'or set MODEL_GATEWAY_GGUF_PATH',
      );
    }
    const chat = await LlamaBackend.load(
      {
        modelPath,
        modelId: config.MODEL_GATEWAY_CHAT_MODEL,
        threads: config.MODEL_GATEWAY_THREADS,
        contextSize: config.MODEL_GATEWAY_CONTEXT_SIZE,
      },
      logger,
    );
    const embedder = await SentenceEmbedder.load({ intraOpThreads: config.MODEL_GATEWAY_THREADS });
    await startVigilService({
      module: ModelGatewayModule.forRoot(config, { chat, embedder }, logger),
      logger,
      port: config.MODEL_GATEWAY_PORT,
    });
    logger.log({ msg: 'model-gateway started', port: config.MODEL_GATEWAY_PORT });
  },
});
