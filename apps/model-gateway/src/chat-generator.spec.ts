import {
  ChatGenerator,
  planFromRequest,
  type CompletionBackend,
  type CompletionResult,
  type GenerationPlan,
} from './chat-generator';
import { GatewayError } from './gateway-error';
import { chatCompletionRequestSchema } from './openai-wire';
import { SerialQueue } from './serial-queue';

const request = (extra: Record<string, unknown> = {}) =>
  chatCompletionRequestSchema.parse({
    model: 'gemma-3-270m',
    messages: [{ role: 'user', content: 'hi' }],
    ...extra,
  });

class FakeBackend implements CompletionBackend {
  readonly modelId = 'gemma-3-270m';
  plans: GenerationPlan[] = [];

  constructor(private readonly result: CompletionResult) {}

  async complete(plan: GenerationPlan): Promise<CompletionResult> {
    this.plans.push(plan);
    return this.result;
  }
}

describe('planFromRequest', () => {
  it('turns a JSON schema response format into a schema constraint', () => {
    const schema = { type: 'object', properties: { a: { type: 'string' } } };
    const plan = planFromRequest(
      request({
        max_tokens: 40,
        stop: '###',
        frequency_penalty: 1.5,
        presence_penalty: -1,
        response_format: { type: 'json_schema', json_schema: { name: 'x', schema } },
      }),
      512,
    );
    expect(plan).toMatchObject({
      maxTokens: 40,
      temperature: 0,
      stop: ['###'],
      output: { kind: 'json_schema', name: 'x', schema },
      frequencyPenalty: 1,
      presencePenalty: 0,
    });
  });

  it('refuses a schema the grammar cannot enforce', () => {
    const schema = { type: 'object', properties: { id: { type: 'string', pattern: '^x' } } };
    const format = { type: 'json_schema', json_schema: { name: 'x', schema } };
    expect(() => planFromRequest(request({ response_format: format }), 64)).toThrow(
      'response_format.json_schema.schema.properties.id.pattern: not supported by the grammar',
    );
  });

  it('uses the limit as the default budget and refuses more than it', () => {
    expect(planFromRequest(request(), 64).maxTokens).toBe(64);
    expect(
      planFromRequest(request({ response_format: { type: 'json_object' } }), 64).output,
    ).toEqual({
      kind: 'json',
    });
    expect(() => planFromRequest(request({ max_completion_tokens: 65 }), 64)).toThrow(
      'max_completion_tokens: at most 64 here, got 65',
    );
  });
});

describe('ChatGenerator', () => {
  const result: CompletionResult = {
    text: '{"a":"b"}',
    promptTokens: 12,
    completionTokens: 30,
    stopReason: 'max_tokens',
  };
  const generator = (backend: CompletionBackend) =>
    new ChatGenerator(backend, new SerialQueue(4), {
      maxTokensLimit: 64,
      timeoutMs: 1000,
      now: () => 5_000,
      newId: () => 'chatcmpl-test',
    });

  it('shapes the backend result as an OpenAI chat completion', async () => {
    const response = await generator(new FakeBackend(result)).complete(request());
    expect(response).toMatchObject({
      id: 'chatcmpl-test',
      created: 5,
      model: 'gemma-3-270m',
      choices: [{ message: { content: '{"a":"b"}' }, finish_reason: 'length' }],
      usage: { prompt_tokens: 12, completion_tokens: 30, total_tokens: 42 },
    });
  });

  it('answers 404 for a model it does not serve', async () => {
    const failure = generator(new FakeBackend(result)).complete(request({ model: 'gpt-4o' }));
    await expect(failure).rejects.toBeInstanceOf(GatewayError);
    await expect(failure).rejects.toMatchObject({
      status: 404,
      body: { error: { code: 'model_not_found' } },
    });
  });

  it('answers 504 when the model misses the deadline', async () => {
    const stuck: CompletionBackend = {
      modelId: 'gemma-3-270m',
      complete: (_plan, signal) =>
        new Promise((_, reject) => signal.addEventListener('abort', () => reject(signal.reason))),
    };
    const slow = new ChatGenerator(stuck, new SerialQueue(4), {
      maxTokensLimit: 64,
      timeoutMs: 10,
    });
    await expect(slow.complete(request())).rejects.toMatchObject({ status: 504 });
  });
});
