import {
  type DynamicModule,
  Inject,
  Injectable,
  type LoggerService,
  Module,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { vigilServiceModule } from '@vigil/messaging';
import { ChatGenerator, type CompletionBackend } from './chat-generator';
import { EmbeddingGateway, type CountingEmbedder } from './embedding-gateway';
import {
  EMBEDDING_MODEL_ALIASES,
  EMBEDDING_MODEL_ID,
  type ModelGatewaySettings,
} from './model-gateway.config';
import { API_KEY, ApiKeyGuard, OpenAiErrorFilter } from './openai-http';
import {
  CHAT_GENERATOR,
  EMBEDDING_GATEWAY,
  MODEL_IDS,
  OpenAiController,
  type ModelIds,
} from './openai.controller';
import { SerialQueue } from './serial-queue';

/** The loaded models; loading is slow and async, so main does it before Nest starts. */
export interface LoadedModels {
  chat: CompletionBackend & { dispose(): Promise<void> };
  embedder: CountingEmbedder & { dispose(): Promise<void> };
}

/**
 * How the gateway's Nest app must be created: without Nest's body parser, since the routes read
 * their JSON themselves (json-body.ts), so that a bad body gets an OpenAI-shaped 400, 413 or 415
 * and only after the API key is checked.
 */
export const modelGatewayHttpOptions = { bodyParser: false } as const;

const LOADED_MODELS = Symbol('LOADED_MODELS');

/** Frees the native model memory on SIGTERM (Nest shutdown hooks are on). */
@Injectable()
class ModelRelease implements OnApplicationShutdown {
  constructor(@Inject(LOADED_MODELS) private readonly models: LoadedModels) {}

  async onApplicationShutdown(): Promise<void> {
    await Promise.allSettled([this.models.chat.dispose(), this.models.embedder.dispose()]);
  }
}

@Module({})
export class ModelGatewayModule {
  static forRoot(
    settings: ModelGatewaySettings,
    models: LoadedModels,
    logger: LoggerService,
  ): DynamicModule {
    // one queue for both models: each run already uses every core
    const queue = new SerialQueue(settings.queueLimit);
    const timeoutMs = settings.timeoutMs;
    const chat = new ChatGenerator(models.chat, queue, {
      maxTokensLimit: settings.maxTokens,
      timeoutMs,
    });
    const embeddings = new EmbeddingGateway(
      models.embedder,
      queue,
      EMBEDDING_MODEL_ALIASES,
      timeoutMs,
    );
    const ids: ModelIds = {
      chat: models.chat.modelId,
      embedding: EMBEDDING_MODEL_ID,
      loadedAtMs: Date.now(),
    };
    logger.log({ msg: 'model gateway ready', models: [ids.chat, ids.embedding] });
    // no Kafka: the settings name no brokers
    return vigilServiceModule({
      module: ModelGatewayModule,
      settings,
      logger,
      controllers: [OpenAiController],
      providers: [
        { provide: CHAT_GENERATOR, useValue: chat },
        { provide: EMBEDDING_GATEWAY, useValue: embeddings },
        { provide: MODEL_IDS, useValue: ids },
        { provide: API_KEY, useValue: settings.apiKey },
        { provide: LOADED_MODELS, useValue: models },
        // app-wide, so that every error answer, not only the controller's, has OpenAI's shape
        { provide: APP_FILTER, useClass: OpenAiErrorFilter },
        ApiKeyGuard,
        ModelRelease,
      ],
    });
  }
}
