import { z } from 'zod';
import { actionName } from '@vigil/contracts';

/**
 * The guardrail policy as plain data (a file or an env JSON). Every field has a default so a
 * policy only states what differs; unknown keys are errors, because a misspelt limit that is
 * silently ignored is a limit that does not exist.
 */

const seconds = z.number().int().positive();
const share = z.number().min(0).max(1);
const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'a time of day as HH:MM (00:00-23:59)');
const weekday = z.enum(['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat']);

/** Who must approve a step of a risk level; a viewer can never be required, so never approves. */
export const approvalRequirement = z.enum(['none', 'responder', 'approver']);

const rateLimit = z.strictObject({ max: z.number().int().min(0), windowSeconds: seconds });

const freezeCommon = {
  name: z.string().min(1).max(200),
  /** Actions that change nothing may still run during a freeze. */
  allowedActions: z.array(actionName).default(['run-diagnostic']),
};

/** A change freeze: one absolute range [from, to), or a weekly one in a fixed UTC offset. */
export const freezeWindowSchema = z.discriminatedUnion('kind', [
  z
    .strictObject({
      kind: z.literal('absolute'),
      ...freezeCommon,
      from: z.iso.datetime({ offset: true }),
      to: z.iso.datetime({ offset: true }),
    })
    .refine((w) => Date.parse(w.from) < Date.parse(w.to), {
      message: 'a freeze must end after it starts',
      path: ['to'],
    }),
  z.strictObject({
    kind: z.literal('weekly'),
    ...freezeCommon,
    /** The days the window starts on; a window whose end is not after its start ends the next day. */
    days: z.array(weekday).min(1),
    start: hhmm,
    end: hhmm,
    utcOffsetMinutes: z
      .number()
      .int()
      .min(-14 * 60)
      .max(14 * 60)
      .default(0),
  }),
]);

const allActions = actionName.options;

export const environmentPolicySchema = z.strictObject({
  allowedActions: z.array(actionName).default([...allActions]),
  /** Glob patterns (`*` only); when present, a target must match one of them. */
  allowedTargets: z.array(z.string().min(1)).optional(),
  deniedTargets: z.array(z.string().min(1)).default([]),
  blastRadius: z
    .strictObject({
      /** Largest share of a target's instances touched at once. */
      max: share.default(0.34),
      /**
       * Whole-service actions (a rollback redeploys everything) would never fit an instance
       * limit; their limit is set here and their risk is held by approvals instead.
       */
      perAction: z.partialRecord(actionName, share).default({
        'rollback-deployment': 1,
        'flush-cache': 1,
        'toggle-feature-flag': 1,
        failover: 1,
        // one config, one cache key, one volume, one lock, one secret: shared by every instance
        'rollback-config': 1,
        'clear-cache-key': 1,
        'free-disk': 1,
        'release-lock': 1,
        'rotate-credentials': 1,
      }),
      /** Steps that finished less than this ago still count as touching: instances are warming up. */
      settleSeconds: seconds.default(300),
      /**
       * A one-instance service could never be treated within `max`: a step on its only instance,
       * with nothing else touching it, needs a person of this role instead of being refused;
       * `deny` refuses it.
       */
      smallServices: z.enum(['deny', 'responder', 'approver']).default('approver'),
    })
    .prefault({}),
  rateLimits: z
    .strictObject({
      perTarget: rateLimit.default({ max: 3, windowSeconds: 3600 }),
      /** Counted over every target of the environment. */
      perAction: z.partialRecord(actionName, rateLimit).default({
        'rollback-deployment': { max: 2, windowSeconds: 3600 },
        'rollback-config': { max: 2, windowSeconds: 3600 },
        failover: { max: 1, windowSeconds: 3600 },
      }),
    })
    .prefault({}),
  maxConcurrentPerTarget: z.number().int().min(0).default(1),
  freezes: z.array(freezeWindowSchema).default([]),
  approvals: z
    .strictObject({
      low: approvalRequirement.default('none'),
      medium: approvalRequirement.default('responder'),
      high: approvalRequirement.default('approver'),
    })
    .prefault({}),
  /** Run a dry-run first for every action whose adapter supports one. */
  dryRunFirst: z.boolean().default(true),
});

export const circuitBreakerSettingsSchema = z.strictObject({
  /** This many failed automatic remediations within the window open the circuit. */
  failureThreshold: z.number().int().min(1).default(3),
  windowSeconds: seconds.default(3600),
  /** An open circuit closes by itself this long after its last failure. */
  coolDownSeconds: seconds.default(1800),
  /** While open, every step needs an approval of at least this role. */
  approvalWhileOpen: z.enum(['responder', 'approver']).default('responder'),
});

export const policySchema = z.strictObject({
  version: z.literal(1).default(1),
  environments: z.record(z.string().min(1), environmentPolicySchema),
  circuitBreaker: circuitBreakerSettingsSchema.prefault({}),
  maxStepsPerPlan: z.number().int().min(1).max(20).default(10),
  /** Parameters are small by nature; a huge blob is an attack or a bug, refused before parsing. */
  maxParamsBytes: z.number().int().min(16).default(2048),
  /**
   * A plan is drafted for the incident as it was: older than this it takes no further step and
   * can no longer be approved (default 30 minutes).
   */
  planTtlSeconds: seconds.default(1800),
});

export type ApprovalRequirement = z.infer<typeof approvalRequirement>;
export type FreezeWindow = z.infer<typeof freezeWindowSchema>;
export type EnvironmentPolicy = z.infer<typeof environmentPolicySchema>;
export type CircuitBreakerSettings = z.infer<typeof circuitBreakerSettingsSchema>;
export type GuardrailPolicy = z.infer<typeof policySchema>;

export class PolicyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PolicyError';
  }
}

/** Validates a policy (parsed JSON/YAML) and fills the defaults; the error lists every problem. */
export function parsePolicy(input: unknown): GuardrailPolicy {
  const parsed = policySchema.safeParse(input);
  if (!parsed.success)
    throw new PolicyError(`invalid guardrail policy:\n${describe(parsed.error)}`);
  return parsed.data;
}

function describe(error: z.ZodError): string {
  return error.issues
    .map((i) => `  - ${i.path.length > 0 ? i.path.join('.') : '(policy)'}: ${i.message}`)
    .join('\n');
}

/** Production is strict; staging lets medium risk run on its own. */
export const DEFAULT_POLICY: GuardrailPolicy = parsePolicy({
  environments: {
    production: {},
    staging: {
      blastRadius: { max: 0.5 },
      approvals: { medium: 'none', high: 'responder' },
    },
  },
});
