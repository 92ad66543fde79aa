import {
  Controller,
  Get,
  HttpCode,
  Inject,
  Param,
  Post,
  Req,
  Res,
  UseGuards,
} from '@nestjs/common';
import type { Request, Response } from 'express';
import type { z } from 'zod';
import type { ChatGenerator } from './chat-generator';
import type { EmbeddingGateway } from './embedding-gateway';
import { GatewayError } from './gateway-error';
import { readJsonBody } from './json-body';
import { ApiKeyGuard } from './openai-http';
import {
  chatCompletionRequestSchema,
  embeddingsRequestSchema,
  modelCard,
  requestProblem,
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

/** The JSON body as `schema` says, or a 4xx that says what is wrong with it. */
async function parse<S extends z.ZodType>(schema: S, request: Request): Promise<z.output<S>> {
  const parsed = schema.safeParse(await readJsonBody(request));
  if (!parsed.success) {
    const problem = requestProblem(parsed.error);
    throw GatewayError.badRequest(problem.message, problem.param, problem.code);
  }
  return parsed.data;
}

/**
 * OpenAI-compatible routes: the SDK points `baseURL` at http://host:port/v1. Bodies are read
 * here, after the API key is checked (the app runs without Nest's body parser); errors are
 * answered by OpenAiErrorFilter, registered app-wide.
 */
@Controller('v1')
@UseGuards(ApiKeyGuard)
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
  async embed(@Req() req: Request): Promise<EmbeddingsResponse> {
    return this.embeddings.embed(await parse(embeddingsRequestSchema, req));
  }

  @Post('chat/completions')
  @HttpCode(200)
  async complete(
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<ChatCompletionResponse> {
    const request = await parse(chatCompletionRequestSchema, req);
    // a client that timed out and left must not keep the model busy for the next one
    const gone = new AbortController();
    res.on('close', () => {
      if (!res.writableEnded) gone.abort();
    });
    return this.chat.complete(request, gone.signal);
  }
}
