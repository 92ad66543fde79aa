import { randomUUID } from 'node:crypto';
import { GatewayError } from './gateway-error';
import { unsupportedSchemaParts } from './json-schema-support';
import {
  chatCompletionResponse,
  type ChatCompletionRequest,
  type ChatCompletionResponse,
  type ChatMessage,
  type FinishReason,
} from './openai-wire';
import {
  QueueCancelledError,
  QueueFullError,
  QueueTimeoutError,
  type SerialQueue,
} from './serial-queue';

/** What the output must look like: free text, any JSON value, or JSON valid against a schema. */
export type OutputConstraint =
  | { kind: 'text' }
  | { kind: 'json' }
  | { kind: 'json_schema'; name: string; schema: Record<string, unknown> };

/** One generation, decided from the request before the model is touched. */
export interface GenerationPlan {
  messages: readonly ChatMessage[];
  maxTokens: number;
  temperature: number;
  topP?: number;
  seed?: number;
  stop: readonly string[];
  output: OutputConstraint;
  /** OpenAI's -2..2 penalties clamped to llama.cpp's 0..1 (negative values mean none here). */
  frequencyPenalty: number;
  presencePenalty: number;
}

export interface CompletionResult {
  text: string;
  promptTokens: number;
  completionTokens: number;
  /** Why generation ended: end of text / a stop sequence / the token budget. */
  stopReason: 'end' | 'max_tokens';
}

/** The model side (node-llama-cpp in the app; a fake in unit tests). */
export interface CompletionBackend {
  readonly modelId: string;
  complete(plan: GenerationPlan, signal: AbortSignal): Promise<CompletionResult>;
}

export interface ChatGeneratorOptions {
  /** Largest max_tokens a request may ask for; also the default when it asks for none. */
  maxTokensLimit: number;
  timeoutMs: number;
  now?: () => number;
  newId?: () => string;
}

/**
 * Temperature 0 by default (OpenAI's default is 1): with a small local model greedy decoding
 * is both the most reliable and reproducible, and callers that want sampling say so.
 */
const DEFAULT_TEMPERATURE = 0;

export function planFromRequest(
  request: ChatCompletionRequest,
  maxTokensLimit: number,
): GenerationPlan {
  const asked = request.max_completion_tokens ?? request.max_tokens ?? undefined;
  if (asked !== undefined && asked > maxTokensLimit) {
    const param = request.max_completion_tokens != null ? 'max_completion_tokens' : 'max_tokens';
    throw GatewayError.badRequest(`${param}: at most ${maxTokensLimit} here, got ${asked}`, param);
  }
  return {
    messages: request.messages,
    maxTokens: asked ?? maxTokensLimit,
    temperature: request.temperature ?? DEFAULT_TEMPERATURE,
    topP: request.top_p ?? undefined,
    seed: request.seed ?? undefined,
    stop:
      request.stop == null ? [] : typeof request.stop === 'string' ? [request.stop] : request.stop,
    output: outputConstraint(request.response_format),
    frequencyPenalty: clampPenalty(request.frequency_penalty),
    presencePenalty: clampPenalty(request.presence_penalty),
  };
}

function outputConstraint(format: ChatCompletionRequest['response_format']): OutputConstraint {
  if (!format || format.type === 'text') return { kind: 'text' };
  if (format.type === 'json_object') return { kind: 'json' };
  const unsupported = unsupportedSchemaParts(format.json_schema.schema);
  if (unsupported.length > 0) {
    throw GatewayError.badRequest(
      `response_format.json_schema.${unsupported.join('; ')}`,
      'response_format',
    );
  }
  return { kind: 'json_schema', name: format.json_schema.name, schema: format.json_schema.schema };
}

function clampPenalty(value: number | null | undefined): number {
  return Math.min(1, Math.max(0, value ?? 0));
}

export function finishReason(result: CompletionResult): FinishReason {
  return result.stopReason === 'max_tokens' ? 'length' : 'stop';
}

/**
 * OpenAI chat completions over one local model: validates what the wire schema cannot (model
 * id, token limits), runs one generation at a time through the queue under a deadline, and
 * shapes the answer. Everything but the backend is pure.
 */
export class ChatGenerator {
  private readonly now: () => number;
  private readonly newId: () => string;

  constructor(
    private readonly backend: CompletionBackend,
    private readonly queue: SerialQueue,
    private readonly options: ChatGeneratorOptions,
  ) {
    this.now = options.now ?? Date.now;
    this.newId = options.newId ?? (() => `chatcmpl-${randomUUID()}`);
  }

  /** `cancel`: the client went away; its generation stops and frees the model. */
  async complete(
    request: ChatCompletionRequest,
    cancel?: AbortSignal,
  ): Promise<ChatCompletionResponse> {
    if (request.model !== this.backend.modelId) {
      throw GatewayError.unknownModel(request.model, [this.backend.modelId]);
    }
    const plan = planFromRequest(request, this.options.maxTokensLimit);
    const createdMs = this.now();
    const result = await runQueued(
      this.queue,
      this.options.timeoutMs,
      (signal) => this.backend.complete(plan, signal),
      cancel,
    );
    return chatCompletionResponse({
      id: this.newId(),
      model: this.backend.modelId,
      createdMs,
      content: result.text,
      finishReason: finishReason(result),
      usage: { promptTokens: result.promptTokens, completionTokens: result.completionTokens },
    });
  }
}

/** Queue work, turning a full queue into 429 and a missed deadline into 504 for the client. */
export async function runQueued<T>(
  queue: SerialQueue,
  timeoutMs: number,
  task: (signal: AbortSignal) => Promise<T>,
  cancel?: AbortSignal,
): Promise<T> {
  try {
    return await queue.run(task, timeoutMs, cancel);
  } catch (error) {
    if (error instanceof QueueFullError) {
      throw new GatewayError(429, error.message, 'rate_limit_error', null, 'queue_full');
    }
    if (error instanceof QueueCancelledError) {
      // nobody reads this answer: the status is for the logs
      throw new GatewayError(499, error.message, 'timeout_error', null, 'client_closed');
    }
    if (error instanceof QueueTimeoutError) {
      throw new GatewayError(504, error.message, 'timeout_error', null, 'timeout');
    }
    throw error;
  }
}
