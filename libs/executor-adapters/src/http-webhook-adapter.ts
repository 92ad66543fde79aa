import { z } from 'zod';
import { actionName, type ActionName } from '@vigil/contracts';
import {
  actionCatalog,
  verificationKind,
  type TargetState,
  type VerificationKind,
} from '@vigil/action-catalog';
import type {
  Capability,
  ExecutionAdapter,
  StepRequest,
  StepResult,
  VerificationRequest,
  VerificationResult,
} from './execution-adapter';
import { excerpt, httpCall, reasonOf, type HttpAnswer } from './http-client';
import { IdempotencyLedger } from './idempotency-ledger';
import { signatureHeaderValue } from './webhook-signature';

export interface HttpWebhookAdapterOptions {
  /** Adapter name in audit events; default `http-webhook`. */
  name?: string;
  /** Shared with the receiver, which checks each request with `verifyWebhookSignature`. */
  secret: string;
  /**
   * The JSON-lines file of the keys applied (IdempotencyLedger): a step re-sent after the
   * executor restarted is answered from it and not sent again. Required: a ledger kept only in
   * memory forgets every key in a crash.
   */
  ledgerFile: string;
  defaultUrl?: string;
  /** Target -> receiver URL; targets not listed use `defaultUrl`. */
  urls?: Readonly<Record<string, string>>;
  /** Per HTTP attempt; default 10 s. */
  timeoutMs?: number;
  /** Extra attempts for calls that change nothing (describe, verify, dry-run); default 2. */
  retries?: number;
  retryDelayMs?: number;
  /** What the receivers implement; default the whole catalog. */
  actions?: readonly ActionName[];
  /** What they can dry-run; default the catalog's dry-run actions among `actions`. */
  dryRunActions?: readonly ActionName[];
  verificationKinds?: readonly VerificationKind[];
  /** Epoch ms, for the signed timestamp; tests pass a fixed clock. */
  now?: () => number;
}

/**
 * The JSON a receiver gets: one POST per call, `type` says which. Steps carry the idempotency key
 * in the body and the `Idempotency-Key` header; the receiver must answer a key it has applied
 * with `already-applied` (the executor re-sends steps after a crash).
 */
export type WebhookCall =
  | { type: 'step'; request: StepRequest }
  | { type: 'describe'; target: string }
  | { type: 'verify'; request: VerificationRequest };

const targetStateSchema = z.object({
  replicas: z.number().int().min(0),
  version: z.string().optional(),
  previousVersion: z.string().optional(),
  flags: z.record(z.string(), z.boolean()).optional(),
  primary: z.string().optional(),
});

/** What a receiver answers to each call type (2xx with this JSON). */
export const webhookAnswerSchemas = {
  step: z.object({
    outcome: z.enum(['applied', 'already-applied', 'would-apply', 'failed']),
    detail: z.string().max(10_000),
    before: targetStateSchema.optional(),
    after: targetStateSchema.optional(),
  }),
  describe: targetStateSchema,
  verify: z.object({
    passed: z.boolean(),
    detail: z.string().max(10_000),
    observed: z.number().optional(),
  }),
} as const;

type Parsed<T> = { ok: true; value: T } | { ok: false; reason: string };

/** Hands every step to a remote receiver over signed HTTP POSTs (e.g. a CI job, a chat-ops bot). */
export class HttpWebhookAdapter implements ExecutionAdapter {
  readonly name: string;
  readonly verificationKinds: readonly VerificationKind[];
  private readonly actions: ReadonlySet<ActionName>;
  private readonly dryRunActions: ReadonlySet<ActionName>;
  private readonly ledger: IdempotencyLedger;

  constructor(private readonly options: HttpWebhookAdapterOptions) {
    this.ledger = new IdempotencyLedger(options.ledgerFile);
    this.name = options.name ?? 'http-webhook';
    this.actions = new Set(options.actions ?? actionName.options);
    const dryRunnable = actionName.options.filter((a) => actionCatalog[a].dryRun);
    this.dryRunActions = new Set(
      (options.dryRunActions ?? dryRunnable).filter((a) => this.actions.has(a)),
    );
    this.verificationKinds =
      options.verificationKinds ?? verificationKind.options.filter((k) => k !== 'alerts-resolved');
  }

  supports(action: ActionName, target: string): Capability {
    if (!this.urlFor(target))
      return { supported: false, reason: `no webhook URL for target ${target}` };
    if (!this.actions.has(action))
      return { supported: false, reason: `the receiver does not implement ${action}` };
    return { supported: true };
  }

  supportsDryRun(action: ActionName, target: string): boolean {
    return this.supports(action, target).supported && this.dryRunActions.has(action);
  }

  async describe(target: string): Promise<TargetState> {
    const answer = await this.post(target, { type: 'describe', target }, true);
    if (!answer.ok) throw new Error(`describe ${target} via ${this.name}: ${answer.reason}`);
    const parsed = parseAnswer(answer.value, webhookAnswerSchemas.describe);
    if (!parsed.ok) throw new Error(`describe ${target} via ${this.name}: ${parsed.reason}`);
    return parsed.value;
  }

  apply(request: StepRequest): Promise<StepResult> {
    const capability = this.supports(request.action, request.target);
    if (!capability.supported)
      return Promise.resolve({ outcome: 'failed', detail: capability.reason });
    return this.ledger.run(request, () => this.send(request));
  }

  async verify(request: VerificationRequest): Promise<VerificationResult> {
    const answer = await this.post(request.target, { type: 'verify', request }, true);
    if (!answer.ok) return { passed: false, detail: answer.reason };
    const parsed = parseAnswer(answer.value, webhookAnswerSchemas.verify);
    return parsed.ok ? parsed.value : { passed: false, detail: parsed.reason };
  }

  private async send(request: StepRequest): Promise<StepResult> {
    // A live step is sent once: after a timeout its outcome is unknown, and only a re-send with
    // the same key (decided by the executor) can safely find out.
    const answer = await this.post(request.target, { type: 'step', request }, request.dryRun, {
      'Idempotency-Key': request.idempotencyKey,
    });
    if (!answer.ok) return { outcome: 'failed', detail: answer.reason };
    const parsed = parseAnswer(answer.value, webhookAnswerSchemas.step);
    if (!parsed.ok) return { outcome: 'failed', detail: parsed.reason };
    return checkDryRunAnswer(request, parsed.value);
  }

  private async post(
    target: string,
    call: WebhookCall,
    retryable: boolean,
    headers: Record<string, string> = {},
  ): Promise<Parsed<HttpAnswer>> {
    const url = this.urlFor(target);
    if (!url) return { ok: false, reason: `no webhook URL for target ${target}` };
    const attempts = retryable ? 1 + (this.options.retries ?? 2) : 1;
    let last: Parsed<HttpAnswer> = { ok: false, reason: 'not sent' };
    for (let attempt = 1; attempt <= attempts; attempt++) {
      if (attempt > 1) await delay((this.options.retryDelayMs ?? 200) * (attempt - 1));
      last = await this.attempt(url, JSON.stringify(call), headers);
      // 4xx will not change on a retry; timeouts, refused connections and 5xx may.
      if (last.ok && last.value.status < 500) break;
    }
    return last;
  }

  private async attempt(
    url: string,
    body: string,
    headers: Record<string, string>,
  ): Promise<Parsed<HttpAnswer>> {
    const timestamp = String(Math.trunc((this.options.now ?? Date.now)()));
    try {
      const answer = await httpCall({
        method: 'POST',
        url,
        body,
        timeoutMs: this.options.timeoutMs ?? 10_000,
        headers: {
          'Content-Type': 'application/json',
          'X-Vigil-Timestamp': timestamp,
          'X-Vigil-Signature': signatureHeaderValue(this.options.secret, timestamp, body),
          ...headers,
        },
      });
      return { ok: true, value: answer };
    } catch (error) {
      return { ok: false, reason: `webhook ${url}: ${reasonOf(error)}` };
    }
  }

  /** A target with no receiver URL (none listed, no default) is not this adapter's. */
  serves(target: string): boolean {
    return this.urlFor(target) !== undefined;
  }

  private urlFor(target: string): string | undefined {
    const urls = this.options.urls ?? {};
    return Object.hasOwn(urls, target) ? urls[target] : this.options.defaultUrl;
  }
}

/** A 2xx answer whose JSON fits `schema`, or the reason it does not. */
function parseAnswer<T>(answer: HttpAnswer, schema: z.ZodType<T>): Parsed<T> {
  if (answer.status < 200 || answer.status > 299)
    return { ok: false, reason: `receiver answered ${answer.status}: ${excerpt(answer.text)}` };
  let json: unknown;
  try {
    json = JSON.parse(answer.text);
  } catch {
    return { ok: false, reason: `receiver answered malformed JSON: ${excerpt(answer.text)}` };
  }
  const parsed = schema.safeParse(json);
  if (parsed.success) return { ok: true, value: parsed.data };
  const issues = parsed.error.issues.map((i) => `${i.path.join('.') || 'answer'}: ${i.message}`);
  return { ok: false, reason: `receiver answer does not fit the contract: ${issues.join('; ')}` };
}

/** A receiver that "applied" a dry-run changed a system it was told not to: surface that. */
function checkDryRunAnswer(request: StepRequest, result: StepResult): StepResult {
  if (result.outcome === 'failed') return result;
  if (request.dryRun === (result.outcome === 'would-apply')) return result;
  const expected = request.dryRun ? 'would-apply' : 'applied';
  return {
    outcome: 'failed',
    detail: `receiver answered ${result.outcome} to a ${request.dryRun ? 'dry-run' : 'live step'} (expected ${expected}): ${result.detail}`,
  };
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
