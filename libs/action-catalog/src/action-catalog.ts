import { z } from 'zod';
import type { ActionName, PlanStep } from '@vigil/contracts';

/** How much harm a wrong or badly timed action can do; approvals are required by level. */
export type RiskLevel = 'low' | 'medium' | 'high';

/**
 * What can be checked after a step against live signals. `error-rate-below` and
 * `latency-below` read the target's metrics, `healthy-instances` its readiness, `alerts-resolved`
 * the incident's alerts, `probe-succeeds` an adapter's own health probe.
 */
export const verificationKind = z.enum([
  'error-rate-below',
  'latency-below',
  'healthy-instances',
  'alerts-resolved',
  'probe-succeeds',
]);
export type VerificationKind = z.infer<typeof verificationKind>;

const name = z
  .string()
  .min(1)
  .max(253)
  .regex(/^[a-zA-Z0-9][a-zA-Z0-9._:/-]*$/, 'letters, digits and . _ : / - only');

/** One action of the catalog: its typed parameters, risk, inverse and the checks it supports. */
export interface ActionDefinition<P extends z.ZodType = z.ZodType> {
  name: ActionName;
  description: string;
  params: P;
  risk: RiskLevel;
  /**
   * Changes nothing (diagnostics): nothing to undo, nothing for a change budget to count, and no
   * health to verify (a diagnostic of a sick service is what it is for).
   */
  readOnly?: boolean;
  /** Whether an adapter can show what it would do without doing it. */
  dryRun: boolean;
  /** The step that undoes this one, from its parameters and what the target looked like before. */
  inverse: (params: z.output<P>, before: TargetState) => InverseStep | undefined;
  verifications: readonly VerificationKind[];
  /** The share of a service's instances a step touches at once (blast radius). */
  blastRadius: (params: z.output<P>, state: TargetState) => number;
}

/** What the executor knows of a target before a step: enough to undo it and size its reach. */
export interface TargetState {
  replicas: number;
  version?: string;
  previousVersion?: string;
  flags?: Record<string, boolean>;
  primary?: string;
  /** The config version the service runs, where its adapter keeps config versions. */
  configVersion?: number;
}

export interface InverseStep {
  action: ActionName;
  params: Record<string, string | number | boolean | null>;
}

const restartParams = z.strictObject({
  /** Restart this many instances at a time (a rolling restart). */
  batchSize: z.number().int().min(1).max(100).default(1),
  instance: name.optional(),
});

const scaleParams = z.strictObject({
  replicas: z.number().int().min(1, 'scaling to 0 stops the service: not a remediation').max(200),
});

const rollbackParams = z.strictObject({
  toVersion: name.optional(),
});

const drainParams = z.strictObject({
  instance: name,
  graceSeconds: z.number().int().min(0).max(3600).default(60),
});

const flushCacheParams = z.strictObject({
  keyPattern: z
    .string()
    .min(1)
    .max(200)
    .regex(/^[a-zA-Z0-9:_.*-]+$/, 'a key pattern of letters, digits and : _ . * -')
    .default('*'),
});

const featureFlagParams = z.strictObject({
  flag: name,
  enabled: z.boolean(),
});

const failoverParams = z.strictObject({
  toReplica: name.optional(),
});

const diagnosticParams = z.strictObject({
  check: z.enum([
    'thread-dump',
    'heap-summary',
    'connection-pool',
    'dependency-probe',
    'recent-logs',
  ]),
});

const rollbackConfigParams = z.strictObject({
  /** The config version to go back to; default the one before the current. */
  toVersion: z.number().int().min(1).optional(),
});

const cacheKey = z
  .string()
  .min(1)
  .max(200)
  .regex(/^[a-zA-Z0-9:_.-]+$/, 'one key: letters, digits and : _ . - (no pattern)');

const clearCacheKeyParams = z.strictObject({ key: cacheKey });

const freeDiskParams = z.strictObject({
  /** Only scratch space is ever freed: the service's data is not the action's to delete. */
  area: z.enum(['tmp']).default('tmp'),
});

const releaseLockParams = z.strictObject({
  lock: z
    .string()
    .min(1)
    .max(100)
    .regex(/^[a-zA-Z0-9_.-]+$/, 'a lock name of letters, digits and _ . -'),
});

const rotateCredentialsParams = z.strictObject({
  /** The dependency whose credentials the target uses. */
  dependency: name,
});

const share = (touched: number, state: TargetState) =>
  state.replicas > 0 ? Math.min(1, touched / state.replicas) : 1;

/** The typed action catalog: every step of every plan must be one of these. */
export const actionCatalog = {
  restart: {
    name: 'restart',
    description: 'Restart instances of a service, a batch at a time, waiting for readiness.',
    params: restartParams,
    risk: 'medium',
    dryRun: true,
    inverse: () => undefined, // a restart has nothing to undo
    verifications: ['healthy-instances', 'error-rate-below', 'latency-below', 'alerts-resolved'],
    blastRadius: (p, state) => share(p.instance ? 1 : p.batchSize, state),
  } satisfies ActionDefinition<typeof restartParams>,
  scale: {
    name: 'scale',
    description: 'Set the number of replicas of a service.',
    params: scaleParams,
    risk: 'medium',
    dryRun: true,
    inverse: (_p, before) => ({ action: 'scale', params: { replicas: before.replicas } }),
    verifications: ['healthy-instances', 'latency-below', 'error-rate-below'],
    // Scaling down removes instances; scaling up touches none of the running ones.
    blastRadius: (p, state) => share(Math.max(0, state.replicas - p.replicas), state),
  } satisfies ActionDefinition<typeof scaleParams>,
  'rollback-deployment': {
    name: 'rollback-deployment',
    description: 'Deploy the previous (or a named earlier) version of a service again.',
    params: rollbackParams,
    risk: 'high',
    dryRun: true,
    inverse: (_p, before) =>
      before.version
        ? { action: 'rollback-deployment', params: { toVersion: before.version } }
        : undefined,
    verifications: ['healthy-instances', 'error-rate-below', 'latency-below', 'alerts-resolved'],
    blastRadius: () => 1,
  } satisfies ActionDefinition<typeof rollbackParams>,
  'drain-instance': {
    name: 'drain-instance',
    description: 'Take one instance out of rotation after its in-flight requests finish.',
    params: drainParams,
    risk: 'medium',
    dryRun: true,
    inverse: (p) => ({
      action: 'drain-instance',
      params: { instance: p.instance, graceSeconds: 0 },
    }),
    verifications: ['healthy-instances', 'error-rate-below'],
    blastRadius: (_p, state) => share(1, state),
  } satisfies ActionDefinition<typeof drainParams>,
  'flush-cache': {
    name: 'flush-cache',
    description: 'Delete cache entries matching a key pattern.',
    params: flushCacheParams,
    risk: 'medium',
    dryRun: true,
    inverse: () => undefined, // flushed entries are rebuilt by their readers
    verifications: ['error-rate-below', 'latency-below'],
    blastRadius: () => 1,
  } satisfies ActionDefinition<typeof flushCacheParams>,
  'toggle-feature-flag': {
    name: 'toggle-feature-flag',
    description: 'Switch a feature flag of a service on or off.',
    params: featureFlagParams,
    // A flag can switch a whole code path (or a safety check) for every user at once.
    risk: 'medium',
    dryRun: true,
    inverse: (p, before) => ({
      action: 'toggle-feature-flag',
      params: { flag: p.flag, enabled: before.flags?.[p.flag] ?? !p.enabled },
    }),
    verifications: ['error-rate-below', 'latency-below', 'alerts-resolved'],
    blastRadius: () => 1,
  } satisfies ActionDefinition<typeof featureFlagParams>,
  failover: {
    name: 'failover',
    description: 'Promote a replica of a datastore or service to primary.',
    params: failoverParams,
    risk: 'high',
    dryRun: false,
    inverse: (_p, before) =>
      before.primary ? { action: 'failover', params: { toReplica: before.primary } } : undefined,
    verifications: ['probe-succeeds', 'error-rate-below', 'alerts-resolved'],
    blastRadius: () => 1,
  } satisfies ActionDefinition<typeof failoverParams>,
  'run-diagnostic': {
    name: 'run-diagnostic',
    description:
      'Collect diagnostics (thread dump, heap summary, pool state, probes, logs); changes nothing.',
    params: diagnosticParams,
    risk: 'low',
    readOnly: true,
    dryRun: false,
    inverse: () => undefined,
    verifications: [],
    blastRadius: () => 0,
  } satisfies ActionDefinition<typeof diagnosticParams>,
  'rollback-config': {
    name: 'rollback-config',
    description:
      "Restore an earlier version of a service's config (default the one before the current) on every instance.",
    params: rollbackConfigParams,
    // Every instance reads the restored version: a whole-service change, like a rollback.
    risk: 'high',
    dryRun: true,
    inverse: (_p, before) =>
      before.configVersion
        ? { action: 'rollback-config', params: { toVersion: before.configVersion } }
        : undefined,
    verifications: ['error-rate-below', 'latency-below', 'healthy-instances', 'alerts-resolved'],
    blastRadius: () => 1,
  } satisfies ActionDefinition<typeof rollbackConfigParams>,
  'clear-cache-key': {
    name: 'clear-cache-key',
    description: 'Delete one cache entry (a poisoned or stale value); its readers rebuild it.',
    params: clearCacheKeyParams,
    // One key: no thundering herd, but it changes what every reader of the cache sees.
    risk: 'medium',
    dryRun: true,
    inverse: () => undefined, // a deleted entry is rebuilt by its readers, never restored
    verifications: ['error-rate-below', 'latency-below', 'alerts-resolved'],
    blastRadius: () => 1,
  } satisfies ActionDefinition<typeof clearCacheKeyParams>,
  'free-disk': {
    name: 'free-disk',
    description: "Delete the scratch files (tmp) of a service's data volume to free space.",
    params: freeDiskParams,
    risk: 'medium',
    dryRun: true,
    inverse: () => undefined, // scratch files are not data: nothing to put back
    verifications: ['error-rate-below', 'healthy-instances', 'alerts-resolved'],
    blastRadius: () => 1,
  } satisfies ActionDefinition<typeof freeDiskParams>,
  'release-lock': {
    name: 'release-lock',
    description:
      'Remove a lock whose holder is gone (a stuck lock); a lock held by a live process is refused.',
    params: releaseLockParams,
    // A wrong release lets two writers in: the adapter refuses a lock whose holder still runs.
    risk: 'medium',
    dryRun: true,
    inverse: () => undefined, // a dead holder's lock is not put back
    verifications: ['error-rate-below', 'latency-below', 'alerts-resolved'],
    blastRadius: () => 1,
  } satisfies ActionDefinition<typeof releaseLockParams>,
  'rotate-credentials': {
    name: 'rotate-credentials',
    description:
      'Issue new credentials for a dependency of a service (an expired secret or certificate); the old ones are kept aside.',
    params: rotateCredentialsParams,
    risk: 'medium',
    dryRun: true,
    inverse: () => undefined, // going back to expired credentials breaks the service again
    verifications: ['error-rate-below', 'alerts-resolved'],
    blastRadius: () => 1,
  } satisfies ActionDefinition<typeof rotateCredentialsParams>,
} as const;

export type ActionCatalog = typeof actionCatalog;

export function actionDefinition(action: ActionName): ActionDefinition {
  return actionCatalog[action] as unknown as ActionDefinition;
}

/** Whether an action changes its target (diagnostics do not); a name not in the catalog does. */
export function changesTarget(action: string): boolean {
  const definition = (actionCatalog as Record<string, ActionDefinition | undefined>)[action];
  return !definition?.readOnly;
}

export type StepCheck =
  | { ok: true; params: Record<string, unknown>; definition: ActionDefinition }
  | { ok: false; reason: string };

/** Whether a step names a catalog action with valid parameters; the reason says what is wrong. */
export function checkStep(step: Pick<PlanStep, 'action' | 'params'>): StepCheck {
  // Own keys only: "constructor" or "__proto__" must not find something on the prototype.
  const definition = Object.hasOwn(actionCatalog, step.action)
    ? (actionCatalog as Record<string, ActionDefinition>)[step.action]
    : undefined;
  if (!definition)
    return { ok: false, reason: `action "${String(step.action)}" is not in the catalog` };
  const parsed = definition.params.safeParse(step.params);
  if (!parsed.success) {
    const issues = parsed.error.issues
      .map((i) => `${i.path.join('.') || 'params'}: ${i.message}`)
      .join('; ');
    return { ok: false, reason: `bad parameters for ${step.action}: ${issues}` };
  }
  return { ok: true, params: parsed.data as Record<string, unknown>, definition };
}

/** The catalog as JSON Schema per action, for the LLM's structured output and for docs. */
export function catalogJsonSchemas(): Record<string, unknown> {
  return Object.fromEntries(
    Object.values(actionCatalog).map((a) => [a.name, z.toJSONSchema(a.params)]),
  );
}
