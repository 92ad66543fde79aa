import OpenAI from 'openai';
import { startService, type ServiceProcess } from '../support/service-process';

const PORT = 3197;
const API_KEY = 'test-gateway-key';

/** A runbook step as the planner will ask for it: an action from a fixed catalog and a target. */
const runbookStepSchema = {
  type: 'object',
  properties: {
    action: { enum: ['restart_pod', 'rollback_release', 'scale_deployment', 'noop'] },
    target: { type: 'string', maxLength: 60 },
    reason: { type: 'string', maxLength: 160 },
  },
  required: ['action', 'target', 'reason'],
  additionalProperties: false,
} as const;

function isRunbookStep(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false;
  const step = value as Record<string, unknown>;
  return (
    Object.keys(step).sort().join() === 'action,reason,target' &&
    (runbookStepSchema.properties.action.enum as readonly unknown[]).includes(step.action) &&
    typeof step.target === 'string' &&
    step.target.length <= 60 &&
    typeof step.reason === 'string' &&
    step.reason.length <= 160
  );
}

describe('model-gateway (OpenAI-compatible, local models)', () => {
  let gateway: ServiceProcess;
  let client: OpenAI;

  beforeAll(async () => {
    gateway = await startService(
      'model-gateway',
      {
        MODEL_GATEWAY_PORT: String(PORT),
        MODEL_GATEWAY_API_KEY: API_KEY,
        MODEL_GATEWAY_MAX_TOKENS: '128',
        LOG_LEVEL: 'warn',
      },
      PORT,
    );
    client = new OpenAI({ baseURL: `http://127.0.0.1:${PORT}/v1`, apiKey: API_KEY, maxRetries: 0 });
  }, 120_000);

  afterAll(async () => {
    await gateway?.stop();
  });

  it('lists the chat and the embedding model', async () => {
    const models = await client.models.list();
    expect(models.data.map((m) => m.id)).toEqual(['gemma-3-270m', 'all-minilm-l6-v2']);
  });

  it('embeds texts into 384 dimensions with usage', async () => {
    const response = await client.embeddings.create({
      model: 'all-minilm-l6-v2',
      input: ['disk full on db-1', 'db-1 volume at 100%', 'checkout latency high'],
    });
    expect(response.data).toHaveLength(3);
    expect(response.data.map((d) => d.embedding.length)).toEqual([384, 384, 384]);
    const [a, b, c] = response.data.map((d) => d.embedding);
    const dot = (x: number[], y: number[]) => x.reduce((sum, v, i) => sum + v * y[i], 0);
    expect(dot(a, b)).toBeGreaterThan(dot(a, c));
    expect(response.usage.prompt_tokens).toBeGreaterThan(6);
  });

  it('drafts a runbook step that is valid JSON for the requested schema', async () => {
    const completion = await client.chat.completions.create({
      model: 'gemma-3-270m',
      max_tokens: 96,
      temperature: 0,
      messages: [
        { role: 'system', content: 'You are an SRE assistant. Answer with one JSON object.' },
        {
          role: 'user',
          content:
            'Alert: pod checkout-7f9 is in CrashLoopBackOff since release v42 of checkout. ' +
            'Draft the first remediation step.',
        },
      ],
      response_format: {
        type: 'json_schema',
        json_schema: { name: 'runbook_step', schema: runbookStepSchema },
      },
    });
    const choice = completion.choices[0];
    expect(choice.finish_reason).toBe('stop');
    expect(isRunbookStep(JSON.parse(choice.message.content ?? ''))).toBe(true);
    expect(completion.usage?.completion_tokens).toBeGreaterThan(0);
    expect(completion.usage?.total_tokens).toBe(
      (completion.usage?.prompt_tokens ?? 0) + (completion.usage?.completion_tokens ?? 0),
    );
  });

  it('refuses a bad request with a 400 that names the field', async () => {
    const failure = client.chat.completions.create({
      model: 'gemma-3-270m',
      messages: [{ role: 'user', content: 'hi' }],
      temperature: 5,
    });
    await expect(failure).rejects.toMatchObject({
      status: 400,
      message: expect.stringContaining('temperature: must be between 0 and 2'),
    });
  });

  it('needs the API key', async () => {
    const stranger = new OpenAI({
      baseURL: `http://127.0.0.1:${PORT}/v1`,
      apiKey: 'wrong',
      maxRetries: 0,
    });
    await expect(stranger.models.list()).rejects.toMatchObject({ status: 401 });
  });
});
