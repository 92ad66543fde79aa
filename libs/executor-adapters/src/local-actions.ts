import type { z } from 'zod';
import type { ActionName } from '@vigil/contracts';
import type { ActionCatalog, TargetState } from '@vigil/action-catalog';
import type { StepResult } from './execution-adapter';
import { excerpt, reasonOf } from './http-client';
import type { DataDirResult, LocalDataDir } from './local-data-dir';
import { probe, type LocalInstance } from './local-instance';
import type { LocalServiceEndpoints } from './local-process-config';
import type { LocalService } from './local-service';

type Params<A extends ActionName> = z.output<ActionCatalog[A]['params']>;

export interface LocalActionContext {
  service: LocalService;
  before: TargetState;
  probeTimeoutMs: number;
}

/** How the local-process adapter runs one catalog action, and shows it as a dry-run. */
export interface LocalAction<A extends ActionName> {
  /** The instance endpoint the action needs; without it the action is unsupported. */
  needs?: keyof LocalServiceEndpoints;
  /** The action changes files of the service's data dir; without one it is unsupported. */
  needsDataDir?: boolean;
  /** Why the service cannot take the action, beyond an endpoint or a data dir. */
  unsupported?: (service: LocalService) => string | undefined;
  dryRun?: (ctx: LocalActionContext, params: Params<A>) => StepResult;
  apply: (ctx: LocalActionContext, params: Params<A>) => Promise<StepResult>;
}

export type LocalActions = { [A in ActionName]: LocalAction<A> };

const failed = (detail: string): StepResult => ({ outcome: 'failed', detail });
const names = (instances: readonly LocalInstance[]) => instances.map((i) => i.name).join(', ');
const pids = (instances: readonly LocalInstance[]) => instances.map((i) => i.pid).join(',');

function applied(ctx: LocalActionContext, detail: string, after?: TargetState): StepResult {
  return { outcome: 'applied', detail, before: ctx.before, after: after ?? ctx.service.state() };
}

function wouldApply(ctx: LocalActionContext, detail: string, after: TargetState): StepResult {
  return { outcome: 'would-apply', detail, before: ctx.before, after };
}

function restartTargets(ctx: LocalActionContext, p: Params<'restart'>) {
  if (!p.instance) return ctx.service.instances;
  const one = ctx.service.instance(p.instance);
  return one ? [one] : undefined;
}

const restart: LocalAction<'restart'> = {
  dryRun: (ctx, p) => {
    const targets = restartTargets(ctx, p);
    if (!targets?.length) return failed(`no instance ${p.instance ?? 'at all'} to restart`);
    return wouldApply(ctx, `would restart ${names(targets)} ${p.batchSize} at a time`, ctx.before);
  },
  apply: async (ctx, p) => {
    const targets = restartTargets(ctx, p);
    if (!targets?.length) return failed(`no instance ${p.instance ?? 'at all'} to restart`);
    const oldPids = pids(targets);
    for (let i = 0; i < targets.length; i += p.batchSize) {
      const batch = targets.slice(i, i + p.batchSize);
      // Each instance comes back on its own version: a restart is not a release.
      const outcomes = await Promise.all(
        batch.map((one) => ctx.service.replace([one], one.version, true)),
      );
      const bad = outcomes.flatMap((o) => (o.ok ? [] : [o.reason]));
      if (bad.length)
        return failed(`restart stopped at batch ${i / p.batchSize + 1}: ${bad.join('; ')}`);
    }
    const now = targets.map((t) => ctx.service.instance(t.name)).filter((t) => t !== undefined);
    return applied(
      ctx,
      `restarted ${names(now)} ${p.batchSize} at a time (pids ${oldPids} -> ${pids(now)})`,
    );
  },
};

const scale: LocalAction<'scale'> = {
  dryRun: (ctx, p) => {
    const delta = p.replicas - ctx.before.replicas;
    const what = delta >= 0 ? `start ${delta}` : `stop ${-delta}`;
    return wouldApply(ctx, `would ${what} instance(s) to reach ${p.replicas}`, {
      ...ctx.before,
      replicas: p.replicas,
    });
  },
  apply: async (ctx, p) => {
    const delta = p.replicas - ctx.service.instances.length;
    if (delta < 0) await ctx.service.removeInstances(-delta);
    if (delta > 0) {
      const outcome = await ctx.service.addInstances(delta, true);
      if (!outcome.ok) return failed(`scale to ${p.replicas}: ${outcome.reason}`);
    }
    return applied(ctx, `scaled ${ctx.service.name} ${ctx.before.replicas} -> ${p.replicas}`);
  },
};

function rollbackTarget(
  ctx: LocalActionContext,
  p: Params<'rollback-deployment'>,
): { version: string } | { reason: string } {
  const version = p.toVersion ?? ctx.service.previousVersion;
  if (!version) return { reason: `${ctx.service.name} has no previous version to roll back to` };
  if (!ctx.service.hasVersion(version))
    return { reason: `${ctx.service.name} has no version ${version}` };
  return { version };
}

const rollbackDeployment: LocalAction<'rollback-deployment'> = {
  dryRun: (ctx, p) => {
    const target = rollbackTarget(ctx, p);
    if ('reason' in target) return failed(target.reason);
    return wouldApply(
      ctx,
      `would replace ${ctx.before.replicas} instance(s) of ${ctx.before.version} with ${target.version}, one at a time`,
      { ...ctx.before, version: target.version, previousVersion: ctx.before.version },
    );
  },
  apply: async (ctx, p) => {
    const target = rollbackTarget(ctx, p);
    if ('reason' in target) return failed(target.reason);
    // The release is recorded first, as a Deployment's spec changes before its pods: a half-done
    // rollback still reports where it was going, and its inverse goes back from there.
    ctx.service.release(target.version);
    for (const one of [...ctx.service.instances]) {
      const outcome = await ctx.service.replace([one], target.version, true);
      if (!outcome.ok) return failed(`rollback to ${target.version}: ${outcome.reason}`);
    }
    return applied(
      ctx,
      `rolled ${ctx.service.name} back ${ctx.before.version} -> ${target.version}`,
    );
  },
};

const drainInstance: LocalAction<'drain-instance'> = {
  dryRun: (ctx, p) => {
    if (!ctx.service.instance(p.instance)) return failed(`no running instance ${p.instance}`);
    return wouldApply(ctx, `would stop ${p.instance} after up to ${p.graceSeconds} s`, {
      ...ctx.before,
      replicas: ctx.before.replicas - 1,
    });
  },
  apply: async (ctx, p) => {
    const one = ctx.service.instance(p.instance);
    if (!one && ctx.service.drained.has(p.instance))
      return applied(ctx, `${p.instance} was already drained`);
    if (!one) return failed(`no running instance ${p.instance}`);
    // SIGTERM lets the instance finish in-flight requests; SIGKILL only after the grace.
    await ctx.service.drain(one, p.graceSeconds * 1000);
    return applied(ctx, `drained ${p.instance} (pid ${one.pid})`);
  },
};

/** POSTs to the same admin path of every instance; all must answer 2xx. */
async function postToAll(ctx: LocalActionContext, path: string, body: unknown): Promise<string[]> {
  const answers = await Promise.all(
    ctx.service.instances.map(async (one) => {
      try {
        const answer = await probe(one, path, ctx.probeTimeoutMs, body);
        return answer.status < 300 ? '' : `${one.name} answered ${answer.status}`;
      } catch (error) {
        return `${one.name}: ${reasonOf(error)}`;
      }
    }),
  );
  return answers.filter((a) => a !== '');
}

function adminAction<A extends ActionName>(
  needs: keyof LocalServiceEndpoints,
  body: (p: Params<A>) => unknown,
  describe: (p: Params<A>) => string,
  predict?: (before: TargetState, p: Params<A>) => TargetState,
): LocalAction<A> {
  return {
    needs,
    dryRun: (ctx, p) =>
      wouldApply(
        ctx,
        `would ${describe(p)} on ${ctx.before.replicas} instance(s)`,
        predict?.(ctx.before, p) ?? ctx.before,
      ),
    apply: async (ctx, p) => {
      if (ctx.service.instances.length === 0) return failed(`${ctx.service.name} has no instances`);
      const path = ctx.service.config.endpoints?.[needs] as string;
      const errors = await postToAll(ctx, path, body(p));
      if (errors.length) return failed(`${describe(p)}: ${errors.join('; ')}`);
      const after = predict?.(ctx.before, p) ?? ctx.service.state();
      return applied(ctx, `${describe(p)} on ${names(ctx.service.instances)}`, after);
    },
  };
}

const runDiagnostic: LocalAction<'run-diagnostic'> = {
  needs: 'diagnostics',
  apply: async (ctx, p) => {
    const path = `${ctx.service.config.endpoints?.diagnostics}?check=${encodeURIComponent(p.check)}`;
    const reports = await Promise.all(
      ctx.service.instances.map(async (one) => {
        try {
          const answer = await probe(one, path, ctx.probeTimeoutMs);
          return `${one.name} (${answer.status}): ${excerpt(answer.text, 500)}`;
        } catch (error) {
          return `${one.name}: ${reasonOf(error)}`;
        }
      }),
    );
    if (reports.length === 0) return failed(`${ctx.service.name} has no instances`);
    return applied(ctx, `${p.check}: ${reports.join(' | ')}`);
  },
};

/**
 * A treatment of what the service keeps in its data dir: `check` says what it would do or why it
 * cannot, `run` does it. The files change at once; the instances read them as they change.
 */
function dataAction<A extends ActionName>(
  check: (data: LocalDataDir, p: Params<A>) => { would: string } | { reason: string },
  run: (data: LocalDataDir, p: Params<A>) => DataDirResult,
  predict?: (before: TargetState, p: Params<A>, data: LocalDataDir) => TargetState,
): LocalAction<A> {
  const dataOf = (ctx: LocalActionContext) => ctx.service.data as LocalDataDir;
  return {
    needsDataDir: true,
    dryRun: (ctx, p) => {
      const checked = check(dataOf(ctx), p);
      if ('reason' in checked) return failed(checked.reason);
      return wouldApply(ctx, checked.would, predict?.(ctx.before, p, dataOf(ctx)) ?? ctx.before);
    },
    apply: async (ctx, p) => {
      const checked = check(dataOf(ctx), p);
      if ('reason' in checked) return failed(checked.reason);
      const result = run(dataOf(ctx), p);
      return result.ok
        ? applied(ctx, `${ctx.service.name}: ${result.detail}`)
        : failed(result.reason);
    },
  };
}

const rollbackConfig = dataAction<'rollback-config'>(
  (data, p) => {
    const plan = data.rollbackConfigPlan(p.toVersion);
    return 'reason' in plan ? plan : { would: `would restore config ${plan.from} -> ${plan.to}` };
  },
  (data, p) => data.rollbackConfig(p.toVersion),
  (before, p, data) => {
    const plan = data.rollbackConfigPlan(p.toVersion);
    return 'reason' in plan ? before : { ...before, configVersion: plan.to };
  },
);

const clearCacheKey = dataAction<'clear-cache-key'>(
  (data, p) => ({
    would: `would delete cache key ${p.key} (${data.hasCacheKey(p.key) ? 'present' : 'not there'})`,
  }),
  (data, p) => data.clearCacheKey(p.key),
);

const freeDisk = dataAction<'free-disk'>(
  (data) => {
    const { files, bytes } = data.scratch();
    return { would: `would delete ${files.length} scratch file(s) (${bytes} bytes)` };
  },
  (data) => data.freeScratch(),
);

const releaseLock = dataAction<'release-lock'>(
  (data, p) => {
    const holder = data.lockHolder(p.lock);
    if ('reason' in holder) return holder;
    return { would: `would release lock ${p.lock} of ${holder.holder} (pid ${holder.pid}, gone)` };
  },
  (data, p) => data.releaseLock(p.lock),
);

const rotateCredentials = dataAction<'rotate-credentials'>(
  (data, p) =>
    data.hasCredentials(p.dependency)
      ? { would: `would issue new credentials for ${p.dependency}` }
      : { reason: `the service keeps no credentials for ${p.dependency}` },
  (data, p) => data.rotateCredentials(p.dependency),
);

const failoverByEndpoint = adminAction<'failover'>(
  'failover',
  (p) => ({ toReplica: p.toReplica }),
  (p) => `fail over to ${p.toReplica ?? 'the best replica'}`,
);

/**
 * A store that keeps its replication in its data dir fails over there (another node becomes
 * primary); any other service through its failover endpoint. No dry-run, as the catalog says.
 */
const failover: LocalAction<'failover'> = {
  unsupported: (service) =>
    service.data?.primary() !== undefined || service.config.endpoints?.failover
      ? undefined
      : `${service.name} exposes no failover endpoint and keeps no replication`,
  apply: async (ctx, p) => {
    const data = ctx.service.data;
    if (data?.primary() === undefined) return failoverByEndpoint.apply(ctx, p);
    const result = data.failover(p.toReplica);
    return result.ok
      ? applied(ctx, `${ctx.service.name}: ${result.detail}`)
      : failed(result.reason);
  },
};

export const localActions: LocalActions = {
  restart,
  scale,
  'rollback-deployment': rollbackDeployment,
  'drain-instance': drainInstance,
  'toggle-feature-flag': adminAction<'toggle-feature-flag'>(
    'flags',
    (p) => ({ flag: p.flag, enabled: p.enabled }),
    (p) => `set flag ${p.flag}=${p.enabled}`,
    (before, p) => ({ ...before, flags: { ...before.flags, [p.flag]: p.enabled } }),
  ),
  'flush-cache': adminAction<'flush-cache'>(
    'cacheFlush',
    (p) => ({ keyPattern: p.keyPattern }),
    (p) => `flush cache keys ${p.keyPattern}`,
  ),
  failover,
  'run-diagnostic': runDiagnostic,
  'rollback-config': rollbackConfig,
  'clear-cache-key': clearCacheKey,
  'free-disk': freeDisk,
  'release-lock': releaseLock,
  'rotate-credentials': rotateCredentials,
};
