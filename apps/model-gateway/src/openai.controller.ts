import {
  Body,
  Controller,
  Get,
  HttpCode,
  Inject,
  Param,
  Post,
  Res,
  UseFilters,
  UseGuards,
} from '@nestjs/common';
import type { Response } from 'express';
import type { z } from 'zod';
import type { ChatGenerator } from './chat-generator';
import type { EmbeddingGateway } from './embedding-gateway';
import { GatewayError } from './gateway-error';
import { ApiKeyGuard, OpenAiErrorFilter } from './openai-http';
import {
  chatCompletionRequestSchema,
  describeIssues,
  embeddingsRequestSchema,
  modelCard,
  type ChatCompletionResponse,
  type EmbeddingsResponse,
  type ModelCard,
} from './openai-wire';

export const CHAT_GENERATOR = Symbol('CHAT_GENERATOR');
export const EMBEDDING_GATEWAY = Symbol('EMBEDDING_GATEWAY');
export const MODEL_IDS = Symbol('MODEL_IDS');

/** The listed models: the chat model and the embedding model, in that order. */
export interface ModelIds {
  chat: string;
  embedding: string;
  loadedAtMs: number;
}

function parse<S extends z.ZodType>(schema: S, body: unknown): z.output<S> {
  const parsed = schema.safeParse(body);
  if (!parsed.success) throw GatewayError.badRequest(describeIssues(parsed.error));
  return parsed.data;
}

/** OpenAI-compatible routes: the SDK points `baseURL` at http://host:port/v1. */
@Controller('v1')
@UseGuards(ApiKeyGuard)
@UseFilters(OpenAiErrorFilter)
export class OpenAiController {
  constructor(
    @Inject(CHAT_GENERATOR) private readonly chat: ChatGenerator,
    @Inject(EMBEDDING_GATEWAY) private readonly embeddings: EmbeddingGateway,
    @Inject(MODEL_IDS) private readonly models: ModelIds,
  ) {}

  @Get('models')
  list(): { object: 'list'; data: ModelCard[] } {
    const ids = [this.models.chat, this.models.embedding];
    return { object: 'list', data: ids.map((id) => modelCard(id, this.models.loadedAtMs)) };
  }

  @Get('models/:id')
  one(@Param('id') id: string): ModelCard {
    const ids = [this.models.chat, this.models.embedding];
    if (!ids.includes(id)) throw GatewayError.unknownModel(id, ids);
    return modelCard(id, this.models.loadedAtMs);
  }

  @Post('embeddings')
  @HttpCode(200)
  embed(@Body() body: unknown): Promise<EmbeddingsResponse> {
    return this.embeddings.embed(parse(embeddingsRequestSchema, body));
  }

  @Post('chat/completions')
  @HttpCode(200)
  complete(
    @Body() body: unknown,
    @Res({ passthrough: true }) res: Response,
  ): Promise<ChatCompletionResponse> {
    // a client that timed out and left must not keep the model busy for the next one
    const gone = new AbortController();
    res.on('close', () => {
      if (!res.writableEnded) gone.abort();
    });
    return this.chat.complete(parse(chatCompletionRequestSchema, body), gone.signal);
  }
}
