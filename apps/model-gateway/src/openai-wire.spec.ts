import {
  chatCompletionRequestSchema,
  chatCompletionResponse,
  describeIssues,
  embeddingsRequestSchema,
  embeddingsResponse,
  requestProblem,
} from './openai-wire';

const messages = [{ role: 'user', content: 'hi' }];

function issues(body: unknown): string {
  const parsed = chatCompletionRequestSchema.safeParse(body);
  if (parsed.success) throw new Error('expected the request to be refused');
  return describeIssues(parsed.error);
}

describe('chat completion requests', () => {
  it('accepts the SDK shape with a JSON schema response format', () => {
    const parsed = chatCompletionRequestSchema.parse({
      model: 'gemma-3-270m',
      messages: [{ role: 'system', content: [{ type: 'text', text: 'be terse' }] }, ...messages],
      max_completion_tokens: 32,
      temperature: 0,
      seed: 7,
      response_format: {
        type: 'json_schema',
        json_schema: { name: 'step', strict: true, schema: { type: 'object' } },
      },
    });
    expect(parsed.response_format).toEqual({
      type: 'json_schema',
      json_schema: { name: 'step', strict: true, schema: { type: 'object' } },
    });
  });

  it('says which field is wrong and how', () => {
    expect(issues({ model: 'm', messages: [{ role: 'tool', content: 'x' }] })).toBe(
      'messages.0.role: must be one of system, developer, user, assistant',
    );
    expect(issues({ model: 'm', messages: [] })).toBe('messages: must hold at least one message');
    expect(issues({ model: 'm', messages, temperature: 3 })).toBe(
      'temperature: must be between 0 and 2',
    );
    expect(issues({ model: 'm', messages, stream: true })).toContain('streaming is not supported');
    expect(issues({ model: 'm', messages, response_format: { type: 'xml' } })).toContain(
      'response_format',
    );
    expect(issues({ model: 'm', messages, max_tokens: 5, max_completion_tokens: 5 })).toBe(
      'max_tokens: give max_tokens or max_completion_tokens, not both',
    );
  });
});

describe('fields a chat completion request may not carry', () => {
  const problem = (body: unknown) => {
    const parsed = chatCompletionRequestSchema.safeParse(body);
    if (parsed.success) throw new Error('expected the request to be refused');
    return requestProblem(parsed.error);
  };

  it('refuses a field it does not know, naming it and the field it was likely meant to be', () => {
    expect(problem({ model: 'm', messages, frobnicate: true, max_token: 5 })).toEqual({
      message: 'frobnicate: unknown field; max_token: unknown field (did you mean max_tokens?)',
      param: 'frobnicate',
      code: 'unknown_parameter',
    });
    expect(problem({ model: 'm', messages: [{ ...messages[0], tool_call_id: 'x' }] })).toEqual({
      message: 'messages.0.tool_call_id: unknown field',
      param: 'messages.0.tool_call_id',
      code: 'unknown_parameter',
    });
    const format = { type: 'json_object', schema: {} };
    expect(problem({ model: 'm', messages, response_format: format }).message).toBe(
      'response_format.schema: unknown field',
    );
  });

  it('refuses an OpenAI field it cannot honour, saying so', () => {
    const refusal = (extra: Record<string, unknown>) => issues({ model: 'm', messages, ...extra });
    expect(refusal({ tool_choice: 'auto' })).toBe(
      'tool_choice: tools are not supported; tool_choice may only be "none"',
    );
    expect(refusal({ logit_bias: { '50256': -100 } })).toBe(
      'logit_bias: logit_bias is not supported',
    );
    expect(refusal({ function_call: 'auto' })).toContain('function calling is not supported');
    expect(refusal({ logprobs: true, top_logprobs: 2 })).toBe(
      'logprobs: logprobs are not supported; top_logprobs: logprobs are not supported',
    );
    expect(refusal({ modalities: ['text', 'audio'] })).toBe(
      'modalities.1: only text output is supported',
    );
    expect(refusal({ prediction: { type: 'content', content: 'x' } })).toBe(
      'prediction: predicted outputs are not supported',
    );
    expect(problem({ model: 'm', messages, store: true })).toMatchObject({
      param: 'store',
      code: null,
    });
  });

  it('takes the fields that change nothing in the answer, and the no-op values of the others', () => {
    const parsed = chatCompletionRequestSchema.parse({
      model: 'm',
      messages: [...messages, { role: 'assistant', content: 'hello', refusal: null }],
      user: 'planner',
      metadata: { incident: 'inc-1' },
      safety_identifier: 'h',
      service_tier: 'default',
      prompt_cache_key: 'k',
      prompt_cache_retention: '24h',
      parallel_tool_calls: true,
      n: 1,
      stream: false,
      logprobs: false,
      logit_bias: {},
      tools: [],
      tool_choice: 'none',
      functions: [],
      function_call: 'none',
      modalities: ['text'],
      store: false,
      stream_options: null,
      reasoning_effort: null,
    });
    expect(parsed).toMatchObject({ user: 'planner', tool_choice: 'none', store: false });
  });
});

describe('embeddings requests', () => {
  it('refuses a field it does not know', () => {
    const parsed = embeddingsRequestSchema.safeParse({ model: 'm', input: 'a', dimension: 384 });
    expect(parsed.success ? 'accepted' : requestProblem(parsed.error)).toEqual({
      message: 'dimension: unknown field (did you mean dimensions?)',
      param: 'dimension',
      code: 'unknown_parameter',
    });
  });

  it('takes a string or a list of strings, not token arrays', () => {
    expect(embeddingsRequestSchema.safeParse({ model: 'm', input: 'a' }).success).toBe(true);
    expect(embeddingsRequestSchema.safeParse({ model: 'm', input: ['a', 'b'] }).success).toBe(true);
    const tokens = embeddingsRequestSchema.safeParse({ model: 'm', input: [[1, 2]] });
    expect(tokens.success).toBe(false);
  });
});

describe('response shapes', () => {
  it('gives a chat completion with usage and finish reason', () => {
    const response = chatCompletionResponse({
      id: 'chatcmpl-1',
      model: 'gemma-3-270m',
      createdMs: 1_700_000_000_999,
      content: '{}',
      finishReason: 'length',
      usage: { promptTokens: 10, completionTokens: 5 },
    });
    expect(response).toEqual({
      id: 'chatcmpl-1',
      object: 'chat.completion',
      created: 1_700_000_000,
      model: 'gemma-3-270m',
      choices: [
        {
          index: 0,
          message: { role: 'assistant', content: '{}', refusal: null },
          logprobs: null,
          finish_reason: 'length',
        },
      ],
      usage: { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 },
    });
  });

  it('encodes base64 embeddings as little-endian float32, as the SDK decodes them', () => {
    const vector = new Float32Array([0.5, -1, 0.25]);
    const response = embeddingsResponse({
      model: 'e',
      vectors: [vector],
      format: 'base64',
      promptTokens: 3,
    });
    const encoded = response.data[0].embedding as string;
    const bytes = Buffer.from(encoded, 'base64');
    const decoded = new Float32Array(bytes.buffer, bytes.byteOffset, bytes.length / 4);
    expect(Array.from(decoded)).toEqual([0.5, -1, 0.25]);
    expect(response.usage).toEqual({ prompt_tokens: 3, total_tokens: 3 });
  });

  it('gives plain numbers for the float format', () => {
    const response = embeddingsResponse({
      model: 'e',
      vectors: [new Float32Array([0.5]), new Float32Array([2])],
      format: 'float',
      promptTokens: 2,
    });
    expect(response.data.map((d) => [d.index, d.embedding])).toEqual([
      [0, [0.5]],
      [1, [2]],
    ]);
  });
});
