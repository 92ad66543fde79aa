import type { ActionName } from '@vigil/contracts';
import type { TargetState, VerificationKind } from '@vigil/action-catalog';
import type {
  Capability,
  ExecutionAdapter,
  StepRequest,
  StepResult,
  VerificationRequest,
  VerificationResult,
} from './execution-adapter';

export interface AdapterRouterOptions {
  adapters: readonly ExecutionAdapter[];
  /** Target name -> adapter name; targets not listed go to `defaultAdapter`. */
  routes?: Readonly<Record<string, string>>;
  defaultAdapter?: string;
}

export type AdapterRoute = { ok: true; adapter: ExecutionAdapter } | { ok: false; reason: string };

/**
 * Picks the adapter of each target and is itself an ExecutionAdapter, so the executor talks to
 * one object whatever mix of infrastructure sits behind it.
 */
export class AdapterRouter implements ExecutionAdapter {
  readonly name = 'router';
  readonly verificationKinds: readonly VerificationKind[];
  private readonly byName = new Map<string, ExecutionAdapter>();
  private readonly routes: ReadonlyMap<string, string>;

  constructor(private readonly options: AdapterRouterOptions) {
    for (const adapter of options.adapters) {
      if (this.byName.has(adapter.name)) throw new Error(`two adapters named "${adapter.name}"`);
      this.byName.set(adapter.name, adapter);
    }
    this.routes = new Map(Object.entries(options.routes ?? {}));
    // A route to a missing adapter is a configuration error: fail at start, not mid-incident.
    for (const [target, adapter] of [...this.routes, ['(default)', options.defaultAdapter]]) {
      if (adapter !== undefined && !this.byName.has(adapter))
        throw new Error(`route ${target} -> unknown adapter "${adapter}"`);
    }
    this.verificationKinds = [...new Set(options.adapters.flatMap((a) => a.verificationKinds))];
  }

  route(target: string): AdapterRoute {
    const name = this.routes.get(target) ?? this.options.defaultAdapter;
    const adapter = name === undefined ? undefined : this.byName.get(name);
    if (!adapter) return { ok: false, reason: `no adapter is configured for target "${target}"` };
    return { ok: true, adapter };
  }

  serves(target: string): boolean {
    const route = this.route(target);
    return route.ok && (route.adapter.serves?.(target) ?? true);
  }

  supports(action: ActionName, target: string): Capability {
    const found = this.adapterFor(action, target);
    return 'reason' in found ? { supported: false, reason: found.reason } : { supported: true };
  }

  supportsDryRun(action: ActionName, target: string): boolean {
    const route = this.route(target);
    return route.ok && route.adapter.supportsDryRun(action, target);
  }

  describe(target: string): Promise<TargetState> {
    const route = this.route(target);
    if (!route.ok) return Promise.reject(new Error(route.reason));
    return route.adapter.describe(target);
  }

  async apply(request: StepRequest): Promise<StepResult> {
    const found = this.adapterFor(request.action, request.target);
    if ('reason' in found) return { outcome: 'failed', detail: found.reason };
    const { adapter } = found;
    if (request.dryRun && !adapter.supportsDryRun(request.action, request.target))
      return {
        outcome: 'failed',
        detail: `adapter ${adapter.name} cannot dry-run ${request.action} on ${request.target}`,
      };
    return adapter.apply(request);
  }

  async verify(request: VerificationRequest): Promise<VerificationResult> {
    const route = this.route(request.target);
    if (!route.ok) return { passed: false, detail: route.reason };
    if (!route.adapter.verificationKinds.includes(request.kind))
      return {
        passed: false,
        detail: `adapter ${route.adapter.name} cannot check ${request.kind} on ${request.target}`,
      };
    return route.adapter.verify(request);
  }

  private adapterFor(
    action: ActionName,
    target: string,
  ): { adapter: ExecutionAdapter } | { reason: string } {
    const route = this.route(target);
    if (!route.ok) return { reason: route.reason };
    const capability = route.adapter.supports(action, target);
    if (capability.supported) return { adapter: route.adapter };
    return {
      reason: `adapter ${route.adapter.name} cannot ${action} ${target}: ${capability.reason}`,
    };
  }
}
