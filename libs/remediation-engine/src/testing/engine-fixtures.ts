import type { TargetState } from '@vigil/action-catalog';
import type {
  PlanStep,
  RemediationDecision,
  RemediationExecution,
  RemediationPlan,
  VigilRole,
} from '@vigil/contracts';
import { type Reason, type StepVerdict, type VerdictKind } from '@vigil/guardrails';
import type { EngineCommand, EngineResult } from '../commands';
import { next } from '../next-command';
import type { PlanRun } from '../plan-run';
import { record } from '../record-result';

/** Shared by the specs: a three-step plan and a scripted executor with a fake adapter. */
export const T0 = Date.parse('2025-06-04T12:00:00Z');

export const BEFORE: Record<string, TargetState> = {
  checkout: { replicas: 4, version: 'v7' },
  cart: { replicas: 3 },
  frontend: { replicas: 6, flags: { 'new-search': true } },
};

const planStep = (
  stepId: string,
  action: PlanStep['action'],
  target: string,
  params: PlanStep['params'],
  verification: string[],
): PlanStep => ({ stepId, action, target, params, verification });

/** s1 has an inverse and checks, s2 (a restart) has no inverse, s3 has an inverse and no checks. */
export const PLAN: RemediationPlan = {
  schemaVersion: 1,
  planId: 'plan-1',
  incidentId: 'inc-1',
  createdAt: '2025-06-04T11:59:00Z',
  faultClass: 'latency',
  summary: 'scale checkout, restart cart, switch off new search',
  steps: [
    planStep('s1', 'scale', 'checkout', { replicas: 6 }, ['healthy-instances']),
    planStep('s2', 'restart', 'cart', { batchSize: 1 }, ['error-rate-below']),
    planStep('s3', 'toggle-feature-flag', 'frontend', { flag: 'new-search', enabled: false }, []),
  ],
  provenance: { model: 'test', promptHash: 'h', fallbackUsed: false },
};

export function verdict(
  stepId: string,
  kind: VerdictKind,
  approvedBy: string[] = [],
  reasons: Reason[] = reasonsFor(kind, stepId),
): StepVerdict {
  return {
    stepId,
    verdict: kind,
    reasons,
    checked: {
      environment: 'production',
      action: 'scale',
      target: 'checkout',
      activeFreezes: [],
      approval: { required: approvedBy.length > 0 ? 'responder' : 'none', approvedBy },
      circuit: { status: 'closed', recentFailures: 0 },
      dryRun: { required: kind === 'needs-dry-run', done: false },
    },
  };
}

function reasonsFor(kind: VerdictKind, stepId: string): Reason[] {
  if (kind === 'allow') return [];
  const code =
    kind === 'deny'
      ? 'blast-radius'
      : kind === 'needs-dry-run'
        ? 'dry-run-required'
        : 'approval-required';
  return [{ code, effect: kind, message: `${code} for ${stepId}` }];
}

export function decision(
  kind: RemediationDecision['decision'],
  role: VigilRole = 'responder',
  decisionId = `d-${kind}`,
): RemediationDecision {
  return {
    schemaVersion: 1,
    decisionId,
    planId: PLAN.planId,
    decision: kind,
    by: { user: `${role}-user`, role },
    via: 'console',
    at: new Date(T0).toISOString(),
  };
}

/** How the world answers: verdicts per step (by attempt; the last one repeats), adapter outcomes. */
export interface Script {
  verdicts?: Record<string, VerdictKind[]>;
  dryRun?: Record<string, 'succeeded' | 'failed'>;
  apply?: Record<string, 'succeeded' | 'failed'>;
  verify?: Record<string, boolean>;
  rollback?: Record<string, 'succeeded' | 'failed'>;
  /** Decisions people send once the executor waits for an approval. */
  decisions?: RemediationDecision[];
}

/** What outlives an executor crash: the adapter's effects (by idempotency key) and the decisions. */
export interface World {
  effects: Map<string, number>;
  outcomes: Map<string, 'succeeded' | 'failed'>;
  decisions: RemediationDecision[];
  log: RemediationExecution[];
}

export const newWorld = (): World => ({
  effects: new Map(),
  outcomes: new Map(),
  decisions: [],
  log: [],
});

export interface DriveOptions {
  /** Stop (the executor dies) once the log holds this many events. */
  crashAt?: number;
  /** When dying right after a start event, let the adapter act first (died during the call). */
  adapterActsBeforeCrash?: boolean;
}

export interface Driven {
  run: PlanRun;
  commands: EngineCommand[];
  crashed: boolean;
}

/** An executor: next, carry out, record, publish; the clock is the log's length. */
export function drive(
  start: PlanRun,
  script: Script,
  world: World,
  opts: DriveOptions = {},
): Driven {
  const commands: EngineCommand[] = [];
  let run = start;
  for (let guard = 0; guard < 200; guard++) {
    const command = next(run, { decisions: world.decisions });
    if (!command) return { run, commands, crashed: false };
    commands.push(command);
    if (command.kind === 'await-approval') {
      if (script.decisions === undefined || world.decisions.length > 0)
        return { run, commands, crashed: false };
      world.decisions.push(...script.decisions);
      continue;
    }
    for (const step of carryOut(command, script, world)) {
      if (step.kind === 'adapter') {
        step.act();
        continue;
      }
      const recorded = record(run, step.result, T0 + world.log.length * 1000);
      run = recorded.state;
      world.log.push(...recorded.events);
      if (opts.crashAt !== undefined && world.log.length >= opts.crashAt) {
        if (opts.adapterActsBeforeCrash) actNow(command, script, world);
        return { run, commands, crashed: true };
      }
    }
  }
  throw new Error('the engine did not settle in 200 commands');
}

type Action = { kind: 'record'; result: EngineResult } | { kind: 'adapter'; act: () => void };

/** The executor's side of each command, as a list of records and adapter calls in order. */
function carryOut(command: EngineCommand, script: Script, world: World): Action[] {
  const rec = (result: EngineResult): Action => ({ kind: 'record', result });
  switch (command.kind) {
    case 'evaluate': {
      const kinds = script.verdicts?.[command.stepId] ?? ['allow'];
      const kind = kinds[Math.min(command.attempt, kinds.length) - 1];
      const approvedBy = kind === 'allow' ? approvals(world) : [];
      const ids = world.decisions.map((d) => d.decisionId);
      return [
        rec({
          kind: 'verdict',
          verdict: verdict(command.stepId, kind, approvedBy),
          decisionIds: ids,
        }),
      ];
    }
    case 'dry-run':
    case 'apply': {
      const mode = command.kind === 'apply' ? 'live' : 'dry-run';
      let outcome: 'succeeded' | 'already-applied' | 'failed' = 'succeeded';
      const before = BEFORE[command.step.target];
      return [
        rec({ kind: 'started', stepId: command.stepId, mode, before }),
        { kind: 'adapter', act: () => (outcome = adapterCall(command, script, world)) },
        {
          kind: 'record',
          get result(): EngineResult {
            return { kind: 'finished', stepId: command.stepId, mode, outcome };
          },
        },
      ];
    }
    case 'verify':
      return [
        rec({
          kind: 'verified',
          stepId: command.stepId,
          passed: script.verify?.[command.stepId] ?? true,
        }),
      ];
    case 'rollback': {
      let outcome: 'succeeded' | 'already-applied' | 'failed' = 'succeeded';
      return [
        rec({ kind: 'rollback-started', stepId: command.stepId }),
        { kind: 'adapter', act: () => (outcome = adapterCall(command, script, world)) },
        {
          kind: 'record',
          get result(): EngineResult {
            return { kind: 'rollback-finished', stepId: command.stepId, outcome };
          },
        },
      ];
    }
    case 'complete':
      return [rec({ kind: 'complete' })];
    case 'abort':
      return [rec({ kind: 'abort' })];
    case 'await-approval':
      return [];
  }
}

const approvals = (world: World) =>
  world.decisions.filter((d) => d.decision === 'approve').map((d) => `${d.by.user} (${d.by.role})`);

/**
 * The fake adapter: acts once per key; asked again, it answers with what happened the first time
 * (already-applied, or failed: a failure is not turned into a success by asking twice).
 */
function adapterCall(
  command: Extract<EngineCommand, { idempotencyKey: string }>,
  script: Script,
  world: World,
): 'succeeded' | 'already-applied' | 'failed' {
  const earlier = world.outcomes.get(command.idempotencyKey);
  if (earlier) return earlier === 'failed' ? 'failed' : 'already-applied';
  world.effects.set(command.idempotencyKey, (world.effects.get(command.idempotencyKey) ?? 0) + 1);
  const outcomes =
    command.kind === 'rollback'
      ? script.rollback
      : command.kind === 'apply'
        ? script.apply
        : script.dryRun;
  const outcome = outcomes?.[command.stepId] ?? 'succeeded';
  world.outcomes.set(command.idempotencyKey, outcome);
  return outcome;
}

function actNow(command: EngineCommand, script: Script, world: World): void {
  if ('idempotencyKey' in command) adapterCall(command, script, world);
}

/** A command without its `resumed` flag: what an uninterrupted run would have asked for. */
export function essence(command: EngineCommand): unknown {
  if (!('resumed' in command)) return command;
  const { resumed: _resumed, ...rest } = command;
  return rest;
}
