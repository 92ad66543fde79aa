import {
  chatCompletionRequestSchema,
  chatCompletionResponse,
  describeIssues,
  embeddingsRequestSchema,
  embeddingsResponse,
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

describe('embeddings requests', () => {
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
