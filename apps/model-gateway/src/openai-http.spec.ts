import type { ArgumentsHost, INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import {
  createOpenAiClient,
  openAiEmbedder,
  openAiJsonCompletion,
  runbookResponseSchema,
  type LlmSettings,
} from '@vigil/llm';
import type { CompletionResult, GenerationPlan } from './chat-generator';
import type { ModelGatewaySettings } from './model-gateway.config';
import { OpenAiErrorFilter } from './openai-http';
import {
  ModelGatewayModule,
  modelGatewayHttpOptions,
  type LoadedModels,
} from './model-gateway.module';

const API_KEY = 'unit-test-gateway-key';
const CHAT_MODEL = 'gemma-3-270m';
const ANSWER = '{"summary":"payment crashed","steps":[]}';

/** The models the gateway would load, as fakes: the chat one records what it was asked. */
function fakeModels(): LoadedModels & { plans: GenerationPlan[] } {
  const plans: GenerationPlan[] = [];
  const result: CompletionResult = {
    text: ANSWER,
    promptTokens: 7,
    completionTokens: 5,
    stopReason: 'end',
  };
  return {
    plans,
    chat: {
      modelId: CHAT_MODEL,
      complete: async (plan) => {
        plans.push(plan);
        return result;
      },
      dispose: async () => undefined,
    },
    embedder: {
      dimension: 3,
      embed: async (texts) => texts.map((text) => new Float32Array([text.length, 1, 0])),
      countTokens: (texts) => texts.length,
      dispose: async () => undefined,
    },
  };
}

const silent = { log: () => undefined, warn: () => undefined, error: () => undefined };

const settings: ModelGatewaySettings = {
  logLevel: 'error',
  port: 0,
  ggufPath: undefined,
  chatModel: CHAT_MODEL,
  threads: 1,
  contextSize: 2048,
  maxTokens: 512,
  timeoutMs: 5_000,
  queueLimit: 4,
  apiKey: API_KEY,
};

describe('the model gateway over HTTP', () => {
  let app: INestApplication;
  let models: ReturnType<typeof fakeModels>;
  let baseUrl: string;

  beforeEach(async () => {
    models = fakeModels();
    // as startVigilService creates it, with the options the gateway's app passes
    app = await NestFactory.create(ModelGatewayModule.forRoot(settings, models, silent), {
      ...modelGatewayHttpOptions,
      logger: false,
      abortOnError: false,
    });
    await app.listen(0, '127.0.0.1');
    baseUrl = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  });

  afterEach(() => app.close());

  function post(path: string, body: unknown, headers: Record<string, string> = {}) {
    return fetch(`${baseUrl}/v1/${path}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${API_KEY}`,
        ...headers,
      },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
  }

  /** The status and the OpenAI error body; fails when the body has another shape. */
  async function openAiError(response: Response) {
    const body = (await response.json()) as Record<string, unknown>;
    expect(Object.keys(body)).toEqual(['error']);
    const error = body.error as Record<string, unknown>;
    expect(Object.keys(error).sort()).toEqual(['code', 'message', 'param', 'type']);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    return { status: response.status, ...(error as { message: string; type: string }), error };
  }

  const messages = [{ role: 'user', content: 'hi' }];

  describe("libs/llm's client and the openai SDK", () => {
    const llm = (): LlmSettings => ({
      baseUrl: `${baseUrl}/v1`,
      apiKey: API_KEY,
      model: CHAT_MODEL,
      timeoutMs: 5_000,
    });

    it("get answers to libs/llm's JSON completion and embeddings as they send them", async () => {
      const client = createOpenAiClient(llm());
      const schema = runbookResponseSchema(['checkout', 'payment'], 3, {
        faultClass: 'crash',
        target: 'payment',
        replicas: 2,
      });
      const complete = openAiJsonCompletion(client, llm());
      const answer = await complete(
        [
          { role: 'system', content: 'answer in JSON' },
          { role: 'user', content: 'payment crashed' },
          { role: 'assistant', content: '{}' },
          { role: 'user', content: 'again' },
        ],
        schema,
        { timeoutMs: 5_000 },
      );
      expect(answer).toBe(ANSWER);
      expect(models.plans[0]).toMatchObject({
        maxTokens: 400,
        temperature: 0,
        output: { kind: 'json_schema', name: 'runbook', schema },
      });
      expect(await openAiEmbedder(client)('disk full')).toEqual([9, 1, 0]);
    });

    it('get answers with every optional field the SDK types, at values the gateway honours', async () => {
      const client = createOpenAiClient(llm());
      const completion = await client.chat.completions.create({
        model: CHAT_MODEL,
        messages: [
          { role: 'developer', content: [{ type: 'text', text: 'be terse' }] },
          { role: 'user', content: 'hi' },
          { role: 'assistant', content: 'hello', refusal: null },
          { role: 'user', content: 'again' },
        ],
        max_completion_tokens: 32,
        temperature: 0.5,
        top_p: 0.9,
        seed: 7,
        stop: ['###'],
        presence_penalty: 0.5,
        frequency_penalty: 0.5,
        response_format: { type: 'json_object' },
        n: 1,
        stream: false,
        logprobs: false,
        logit_bias: {},
        tools: [],
        tool_choice: 'none',
        modalities: ['text'],
        store: false,
        user: 'planner',
        metadata: { incident: 'inc-1' },
        safety_identifier: 'hashed-user',
        service_tier: 'auto',
        prompt_cache_key: 'runbooks',
        parallel_tool_calls: false,
      });
      expect(completion.choices[0].message.content).toBe(ANSWER);
      expect(models.plans[0]).toMatchObject({
        maxTokens: 32,
        temperature: 0.5,
        topP: 0.9,
        seed: 7,
        stop: ['###'],
        output: { kind: 'json' },
      });
      // the SDK asks for base64 unless told otherwise, and decodes it
      const embedded = await client.embeddings.create({
        model: 'all-minilm-l6-v2',
        input: ['ab', 'abc'],
        user: 'planner',
      });
      expect(embedded.data.map((d) => d.embedding)).toEqual([
        [2, 1, 0],
        [3, 1, 0],
      ]);
    });

    it('turn a refused field into an APIError with its status and message', async () => {
      const client = createOpenAiClient({ ...llm(), timeoutMs: 5_000 });
      const failure = client.chat.completions.create({
        model: CHAT_MODEL,
        messages: [{ role: 'user', content: 'hi' }],
        logit_bias: { '42': 100 },
      });
      await expect(failure).rejects.toMatchObject({
        status: 400,
        message: expect.stringContaining('logit_bias: logit_bias is not supported'),
        type: 'invalid_request_error',
        param: 'logit_bias',
      });
    });
  });

  describe('a chat completion request with fields the gateway does not take', () => {
    it('is refused with a 400 that names each unknown field, and runs no model', async () => {
      const response = await post('chat/completions', {
        model: CHAT_MODEL,
        messages,
        frobnicate: true,
        max_token: 5,
      });
      const error = await openAiError(response);
      expect(error).toMatchObject({
        status: 400,
        type: 'invalid_request_error',
        message: 'frobnicate: unknown field; max_token: unknown field (did you mean max_tokens?)',
        error: { param: 'frobnicate', code: 'unknown_parameter' },
      });
      expect(models.plans).toEqual([]);
    });

    it('names an unknown field inside a message or a response format', async () => {
      const inMessage = await post('chat/completions', {
        model: CHAT_MODEL,
        messages: [{ role: 'user', content: 'hi', tool_calls: [] }],
      });
      expect(await openAiError(inMessage)).toMatchObject({
        status: 400,
        message: 'messages.0.tool_calls: unknown field',
        error: { param: 'messages.0.tool_calls' },
      });
      const inFormat = await post('chat/completions', {
        model: CHAT_MODEL,
        messages,
        response_format: {
          type: 'json_schema',
          json_schema: { name: 'x', schema: {}, strictt: 1 },
        },
      });
      expect((await openAiError(inFormat)).message).toBe(
        'response_format.json_schema.strictt: unknown field (did you mean strict?)',
      );
    });

    it.each([
      ['tool_choice', 'auto', 'tools are not supported; tool_choice may only be "none"'],
      ['tools', [{ type: 'function', function: { name: 'f' } }], 'tools are not supported'],
      ['logit_bias', { '50256': -100 }, 'logit_bias is not supported'],
      ['n', 2, 'only n = 1 is supported'],
      ['logprobs', true, 'logprobs are not supported'],
      ['stream_options', { include_usage: true }, 'streaming is not supported'],
      ['store', true, 'stored completions are not supported'],
      ['reasoning_effort', 'low', 'the model does not reason'],
    ])('refuses %s it cannot honour with a 400 that says so', async (field, value, why) => {
      const response = await post('chat/completions', {
        model: CHAT_MODEL,
        messages,
        [field]: value,
      });
      const error = await openAiError(response);
      expect(error.status).toBe(400);
      expect(error.message).toContain(`${field}: ${why}`);
      expect(error.error.param).toBe(field);
      expect(models.plans).toEqual([]);
    });

    it('refuses a name on a message, which the prompt would lose', async () => {
      const response = await post('chat/completions', {
        model: CHAT_MODEL,
        messages: [{ role: 'user', content: 'hi', name: 'alice' }],
      });
      expect(await openAiError(response)).toMatchObject({
        status: 400,
        message: 'messages.0.name: message names are not supported; leave name unset',
      });
    });
  });

  it('refuses unknown fields of an embeddings request', async () => {
    const response = await post('embeddings', {
      model: 'all-minilm-l6-v2',
      input: 'a',
      encodingformat: 'float',
    });
    expect(await openAiError(response)).toMatchObject({
      status: 400,
      message: 'encodingformat: unknown field (did you mean encoding_format?)',
    });
  });

  describe('a body that is not a JSON request', () => {
    it('answers invalid JSON with an OpenAI 400', async () => {
      const error = await openAiError(await post('chat/completions', '{"model": "gemma'));
      expect(error).toMatchObject({ status: 400, type: 'invalid_request_error' });
      expect(error.message).toMatch(/^request body is not valid JSON: /);
    });

    it('answers an empty body with an OpenAI 400', async () => {
      const error = await openAiError(await post('chat/completions', ''));
      expect(error).toMatchObject({ status: 400, message: expect.stringContaining('empty') });
    });

    it('answers a body over 100 KiB with an OpenAI 413', async () => {
      const big = { model: CHAT_MODEL, messages: [{ role: 'user', content: 'x'.repeat(110_000) }] };
      const error = await openAiError(await post('chat/completions', big));
      expect(error).toMatchObject({
        status: 413,
        type: 'invalid_request_error',
        message: 'request body is larger than 102400 bytes',
      });
      expect(models.plans).toEqual([]);
    });

    it('cuts off a streamed body as soon as it passes 100 KiB', async () => {
      const chunk = new TextEncoder().encode('x'.repeat(16 * 1024));
      let sent = 0;
      const endless = new ReadableStream<Uint8Array>({
        pull(controller) {
          // far more than the limit, with no Content-Length to refuse it by
          if (sent++ < 1024) controller.enqueue(chunk);
          else controller.close();
        },
      });
      const response = await fetch(`${baseUrl}/v1/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${API_KEY}` },
        body: endless,
        duplex: 'half',
      } as RequestInit);
      expect(await openAiError(response)).toMatchObject({ status: 413 });
      expect(sent).toBeLessThan(1024);
    });

    it('answers a body that is not UTF-8 with an OpenAI 400', async () => {
      const latin1 = Buffer.from('{"model":"caf\xe9"}', 'latin1');
      const response = await fetch(`${baseUrl}/v1/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${API_KEY}` },
        body: latin1,
      });
      expect(await openAiError(response)).toMatchObject({
        status: 400,
        message: 'request body is not valid UTF-8',
      });
    });

    it('answers a body of another media type with an OpenAI 415', async () => {
      const response = await post(
        'chat/completions',
        JSON.stringify({ model: CHAT_MODEL, messages }),
        {
          'content-type': 'text/plain',
        },
      );
      expect(await openAiError(response)).toMatchObject({
        status: 415,
        message: 'send Content-Type: application/json, got "text/plain"',
      });
      const form = await post('embeddings', 'model=all-minilm-l6-v2&input=a', {
        'content-type': 'application/x-www-form-urlencoded',
      });
      expect((await openAiError(form)).status).toBe(415);
    });
  });

  it('answers a path it does not serve with an OpenAI 404', async () => {
    const response = await fetch(`${baseUrl}/v1/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${API_KEY}` },
    });
    expect(await openAiError(response)).toMatchObject({
      status: 404,
      message: 'Cannot POST /v1/completions',
    });
  });

  it('checks the API key before reading the body', async () => {
    const response = await post('chat/completions', '{bad', { authorization: 'Bearer wrong' });
    expect(await openAiError(response)).toMatchObject({
      status: 401,
      type: 'authentication_error',
      message: 'the API key is not valid',
    });
  });
});

describe('OpenAiErrorFilter', () => {
  /** What the filter wrote, through a host that holds a fake request and response. */
  function answer(exception: unknown) {
    const written: { status?: number; headers?: Record<string, string>; body?: string } = {};
    const response = {
      headersSent: false,
      writeHead: (status: number, headers: Record<string, string>) =>
        Object.assign(written, { status, headers }),
      end: (body: string) => Object.assign(written, { body }),
    };
    const host = {
      switchToHttp: () => ({
        getResponse: () => response,
        getRequest: () => ({ complete: false }),
      }),
    } as unknown as ArgumentsHost;
    new OpenAiErrorFilter().catch(exception, host);
    return { ...written, body: JSON.parse(written.body ?? 'null') as unknown };
  }

  it("answers an Express middleware's client error (a body parser's 413) in OpenAI's shape", () => {
    const tooLarge = Object.assign(new Error('request entity too large'), {
      status: 413,
      expose: true,
    });
    expect(answer(tooLarge)).toMatchObject({
      status: 413,
      headers: { Connection: 'close' },
      body: {
        error: {
          message: 'request entity too large',
          type: 'invalid_request_error',
          param: null,
          code: null,
        },
      },
    });
  });
});
