/**
 * The planner's model, measured: incident cases (diagnosis, evidence, topology, catalog,
 * production policy) sent through libs/llm to the local model gateway or any OpenAI-compatible
 * endpoint, each answer scored by rules (bench/planner/scoring.ts), with the known-good runbooks
 * and "do nothing and escalate" as reference rows. Writes bench/results/planner.json.
 *
 *   npm run bench:planner                                  Gemma 3 270M on a gateway started here
 *   npm run bench:planner -- --gguf F.gguf --model NAME    another GGUF on a gateway started here
 *   npm run bench:planner -- --endpoint URL --model M      any OpenAI-compatible endpoint
 *   options: --cases N (a spread subset) --repeat R --mode open|planner --timeout MS
 *            --label NAME --budget MS --context TOKENS --threads N --no-write --max-minutes M
 *            --references-only (the reference rows, no model)
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { actionCatalog, matchSignature, runbookFor } from '@vigil/action-catalog';
import {
  buildRemediationPrompt,
  createOpenAiClient,
  draftRunbook,
  openAiJsonCompletion,
  runbookResponseSchema,
  type CompleteJson,
  type LlmSettings,
} from '@vigil/llm';
import {
  plannerCases,
  PLANNER_CASES_SEED,
  spreadCases,
  type PlannerCase,
} from './planner/case-generator';
import {
  mergeRows,
  resultOf,
  rowLines,
  summarize,
  type CaseResult,
  type PlannerResults,
  type PlannerRow,
} from './planner/report';
import { asDraftJson, scoreAnswer } from './planner/scoring';
import { startProcess, type ServiceProcess } from '../test/support/service-process';
import { stopOnSignal } from '../test/support/stop-on-signal';

const RESULTS = join(__dirname, 'results', 'planner.json');
/** The planner's PLANNER_DRAFT_BUDGET_MS default: an answer later than this is not used. */
const DEFAULT_BUDGET_MS = 15_000;

const arg = (name: string, fallback?: string): string | undefined => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? (process.argv[i + 1] ?? fallback) : fallback;
};
const flag = (name: string) => process.argv.includes(`--${name}`);
const log = (line: string) => process.stderr.write(`${line}\n`);

interface Usage {
  prompt: number;
  completion: number;
}

/**
 * libs/llm's own client and JSON completion, with its chat call metered: the bench needs the
 * token counts the completion function does not return.
 */
function meteredCompletion(settings: LlmSettings): { complete: CompleteJson; usage: Usage[] } {
  const client = createOpenAiClient(settings);
  const usage: Usage[] = [];
  const completions = client.chat.completions;
  const create = completions.create.bind(completions) as (...args: unknown[]) => Promise<unknown>;
  (completions as unknown as { create: typeof create }).create = async (...args) => {
    const response = (await create(...args)) as {
      usage?: { prompt_tokens: number; completion_tokens: number };
    };
    if (response.usage)
      usage.push({
        prompt: response.usage.prompt_tokens,
        completion: response.usage.completion_tokens,
      });
    return response;
  };
  return { complete: openAiJsonCompletion(client, settings), usage };
}

function promptOf(c: PlannerCase) {
  return buildRemediationPrompt({
    incidentTitle: c.incidentTitle,
    services: c.services,
    rca: c.rca,
    faultClass: c.faultClass,
    topologyFacts: c.topologyFacts,
    similar: c.similar,
  });
}

/**
 * open: one request whose schema allows every catalog action on every service of the
 * neighbourhood, so which treatment, where and how much are the model's own choice.
 * planner: the planner's draftRunbook as it runs (narrow schema, retry, budget, known-good fallback).
 */
async function answer(
  c: PlannerCase,
  mode: 'open' | 'planner',
  complete: CompleteJson,
  usage: Usage[],
  timeoutMs: number,
  budgetMs: number,
): Promise<CaseResult> {
  const { messages } = promptOf(c);
  const before = usage.length;
  const started = Date.now();
  const metered = () => {
    const mine = usage.slice(before);
    return {
      latencyMs: Date.now() - started,
      ...(mine.length > 0 && {
        promptTokens: mine.reduce((s, u) => s + u.prompt, 0),
        completionTokens: mine.reduce((s, u) => s + u.completion, 0),
      }),
    };
  };
  if (mode === 'planner') {
    const outcome = await draftRunbook(complete, {
      messages,
      targets: [c.target],
      faultClass: c.faultClass,
      fallbackTarget: c.target,
      fallbackReplicas: c.replicas,
      released: c.released,
      budgetMs,
    });
    const raw = asDraftJson(outcome.summary, outcome.steps);
    return resultOf(c, scoreAnswer(c, raw), { ...metered(), fallbackUsed: outcome.fallbackUsed });
  }
  try {
    const raw = await complete(messages, runbookResponseSchema(c.targets, 3), { timeoutMs });
    const score = scoreAnswer(c, raw);
    return resultOf(c, score, { ...metered(), ...(!score.pass && { raw: raw.slice(0, 300) }) });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return resultOf(c, scoreAnswer(c, undefined), { ...metered(), error: message.slice(0, 200) });
  }
}

/** The plans that need no model, scored by the same rules. */
function referenceRows(cases: readonly PlannerCase[], date: string): PlannerRow[] {
  const head = (name: string) =>
    ({ name, kind: 'reference', mode: 'reference', date, repeat: 1 }) as const;
  const knownGood = cases.map((c) =>
    resultOf(
      c,
      scoreAnswer(
        c,
        asDraftJson('known-good runbook', runbookFor(c.faultClass, c.target, c.replicas)),
      ),
    ),
  );
  // what the planner sends first without a model: the step a signature in the target's own logs
  // calls for, else the fault class's runbook
  const signatures = cases.map((c) => {
    const templates = (c.rca.candidates[0]?.evidence.logTemplates ?? []).map((t) => t.template);
    const match = matchSignature(c.target, templates);
    return resultOf(
      c,
      scoreAnswer(
        c,
        match
          ? asDraftJson(`evidence signature ${match.signature.id}`, [match.step])
          : asDraftJson('known-good runbook', runbookFor(c.faultClass, c.target, c.replicas)),
      ),
    );
  });
  const escalate = cases.map((c) =>
    resultOf(
      c,
      scoreAnswer(
        c,
        asDraftJson('escalate', [
          { action: 'run-diagnostic', target: c.target, params: { check: 'recent-logs' } },
        ]),
      ),
    ),
  );
  return [
    summarize(head('known-good runbooks'), knownGood, 0),
    summarize(head('evidence signatures, else known-good runbooks'), signatures, 0),
    summarize(head('do nothing and escalate'), escalate, 0),
  ];
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/** apps/model-gateway as its own process on a free port, as the planner finds it in production. */
async function startGateway(
  model: string,
  timeoutMs: number,
): Promise<{ gateway: ServiceProcess; baseUrl: string }> {
  const port = await freePort();
  const gguf = arg('gguf');
  if (gguf && !existsSync(gguf)) throw new Error(`--gguf ${gguf}: no such file`);
  log(`starting the model gateway on port ${port} (${gguf ?? 'the default GGUF'})...`);
  const gateway = await startProcess(
    'model-gateway',
    [
      join(__dirname, '..', 'node_modules', 'ts-node', 'dist', 'bin.js'),
      join('apps', 'model-gateway', 'src', 'main.ts'),
    ],
    {
      MODEL_GATEWAY_PORT: String(port),
      MODEL_GATEWAY_CHAT_MODEL: model,
      MODEL_GATEWAY_TIMEOUT_MS: String(timeoutMs + 5_000),
      MODEL_GATEWAY_CONTEXT_SIZE: arg('context', '2048') ?? '2048',
      // on a machine shared with other work one thread is often faster: llama.cpp's threads wait
      // for each other, and a descheduled one holds up the rest
      ...(arg('threads') && { MODEL_GATEWAY_THREADS: arg('threads') }),
      LOG_LEVEL: 'warn',
      ...(gguf && { MODEL_GATEWAY_GGUF_PATH: gguf }),
    },
    `http://127.0.0.1:${port}/healthz`,
    300_000,
  );
  return { gateway, baseUrl: `http://127.0.0.1:${port}/v1` };
}

function readResults(): PlannerResults | undefined {
  return existsSync(RESULTS)
    ? (JSON.parse(readFileSync(RESULTS, 'utf8')) as PlannerResults)
    : undefined;
}

async function main(): Promise<void> {
  const all = plannerCases();
  const cases = spreadCases(all, Number(arg('cases', String(all.length))));
  const repeat = Math.max(1, Number(arg('repeat', '1')));
  const mode = arg('mode', 'open') === 'planner' ? 'planner' : 'open';
  const timeoutMs = Number(arg('timeout', '90000'));
  const budgetMs = Number(arg('budget', String(DEFAULT_BUDGET_MS)));
  const model = arg('model', 'gemma-3-270m') ?? 'gemma-3-270m';
  const date = new Date().toISOString().slice(0, 10);
  const endpoint = arg('endpoint');

  const references = referenceRows(all, date);
  for (const row of references) for (const line of rowLines(row)) log(line);

  let gateway: ServiceProcess | undefined;
  // a gateway started here is this process's child: a signal stops it first
  const stopHandlers = stopOnSignal(async () => {
    await gateway?.stop();
  });
  const rows: PlannerRow[] = [...references];
  if (!flag('references-only')) await runModel();
  async function runModel(): Promise<void> {
    try {
      const started = Date.now();
      const local = endpoint ? undefined : await startGateway(model, timeoutMs);
      gateway = local?.gateway;
      if (local) log(`gateway ready in ${((Date.now() - started) / 1000).toFixed(0)} s`);
      const settings: LlmSettings = {
        baseUrl: endpoint ?? local?.baseUrl ?? '',
        apiKey: process.env.OPENAI_API_KEY ?? 'local',
        model,
        timeoutMs,
      };
      const { complete, usage } = meteredCompletion(settings);
      const results: CaseResult[] = [];
      const runStarted = Date.now();
      const total = cases.length * repeat;
      // a shared machine: a run stops asking after --max-minutes; its row says how many answered
      const deadline = runStarted + Number(arg('max-minutes', '600')) * 60_000;
      for (let r = 0; r < repeat; r++)
        for (const c of cases) {
          if (Date.now() > deadline) break;
          const result = await answer(c, mode, complete, usage, timeoutMs, budgetMs);
          results.push(result);
          const passed = results.filter((x) => x.score.pass).length;
          const elapsed = (Date.now() - runStarted) / 1000;
          const eta = (elapsed / results.length) * (total - results.length);
          log(
            `[${results.length}/${total}] ${c.id}: ${result.score.pass ? 'pass' : `FAIL (${result.error ?? result.score.why.join('; ')})`} ${((result.latencyMs ?? 0) / 1000).toFixed(1)} s; ${passed} passed; ~${Math.round(eta / 60)} min left`,
          );
        }
      const name = arg('label') ?? `${model} (${endpoint ? 'endpoint' : 'local gateway'}, ${mode})`;
      const row = summarize(
        {
          name,
          kind: 'model',
          mode,
          model,
          endpoint: endpoint ?? 'local model gateway',
          date,
          repeat,
        },
        results,
        (Date.now() - runStarted) / 1000,
        // "in budget" is always against the planner's default, whatever budget this run drafted with
        DEFAULT_BUDGET_MS,
      );
      rows.push(mode === 'planner' ? { ...row, draftBudgetMs: budgetMs } : row);
      for (const line of rowLines(row)) log(line);
    } finally {
      await gateway?.stop();
      stopHandlers(); // stopped: a signal from here on ends the bench as it would have
    }
  }
  if (flag('no-write')) return;
  const merged = mergeRows(
    readResults(),
    {
      date,
      seed: PLANNER_CASES_SEED,
      cases: all.length,
      catalog: Object.keys(actionCatalog),
      policy: 'production policy (DEFAULT_POLICY of libs/guardrails)',
      budgetMs: DEFAULT_BUDGET_MS,
    },
    rows,
  );
  writeFileSync(RESULTS, `${JSON.stringify(merged, null, 2)}\n`);
  log(`wrote ${RESULTS}`);
}

main().catch((error: unknown) => {
  log(error instanceof Error ? (error.stack ?? error.message) : String(error));
  process.exit(1);
});
