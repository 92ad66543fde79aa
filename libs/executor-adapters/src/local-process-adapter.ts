import { z } from 'zod';
import type { ActionName, PlanStep } from '@vigil/contracts';
import {
  actionCatalog,
  checkStep,
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
import { IdempotencyLedger } from './idempotency-ledger';
import { localActions, type LocalAction, type LocalActionContext } from './local-actions';
import { probe } from './local-instance';
import {
  defaultLocalProcessTimings,
  type LocalProcessAdapterOptions,
  type LocalProcessTimings,
} from './local-process-config';
import { LocalService } from './local-service';
import {
  leftoverInstances,
  procCommandLine,
  readInstanceRecords,
  writeInstanceRecords,
} from './instance-records';
import { scrapeTargetGroups, writeScrapeTargets } from './scrape-targets';
import { verifyLocal } from './local-verification';

/** What a caller (the demo, a test) can see of one running instance. */
export interface LocalInstanceInfo {
  name: string;
  port: number;
  pid: number | undefined;
  version: string;
  alive: boolean;
}

const flagsSchema = z.object({ flags: z.record(z.string(), z.boolean()) });

/**
 * Runs services as child processes of this one, each instance on its own port: restart, scale,
 * roll back, drain and the admin actions really happen. The demo system runs on it; in
 * production a Kubernetes adapter takes its place behind the same interface.
 */
export class LocalProcessAdapter implements ExecutionAdapter {
  readonly name: string;
  readonly verificationKinds: readonly VerificationKind[] = [
    'healthy-instances',
    'probe-succeeds',
    'error-rate-below',
    'latency-below',
  ];
  private readonly services = new Map<string, LocalService>();
  private readonly timings: LocalProcessTimings;
  private readonly ledger: IdempotencyLedger;
  private readonly killOnExit = () => this.killAllNow();
  private readonly instancesFile?: string;

  constructor(options: LocalProcessAdapterOptions) {
    this.name = options.name ?? 'local-process';
    this.timings = { ...defaultLocalProcessTimings, ...options.timings };
    this.ledger = new IdempotencyLedger(options.stateFile);
    const file = options.scrapeTargetsFile;
    this.instancesFile = options.instancesFile;
    const onInstancesChanged = () => {
      if (file) writeScrapeTargets(file, scrapeTargetGroups(this.services.values()));
      if (this.instancesFile)
        writeInstanceRecords(
          this.instancesFile,
          [...this.services.values()].flatMap((s) => s.records()),
        );
    };
    for (const [name, config] of Object.entries(options.services))
      this.services.set(name, new LocalService(name, config, this.timings, onInstancesChanged));
  }

  /**
   * Stops what a killed adapter left running (see `instancesFile`), then starts every service's
   * initial replicas; resolves when each answers HTTP. Returns how many leftovers it stopped.
   */
  async start(): Promise<number> {
    const leftovers = await this.stopLeftovers();
    // Children must not outlive this process, even when it exits without shutdown().
    process.once('exit', this.killOnExit);
    for (const service of this.services.values()) {
      // Tops up to the initial count, so a second start() does not double the instances.
      const missing = (service.config.initialReplicas ?? 1) - service.instances.length;
      const outcome = await service.exclusive(() =>
        service.addInstances(Math.max(0, missing), false),
      );
      if (!outcome.ok) throw new Error(`start ${service.name}: ${outcome.reason}`);
    }
    return leftovers;
  }

  /** SIGTERM to every recorded process still running its command, SIGKILL after the grace. */
  private async stopLeftovers(): Promise<number> {
    if (!this.instancesFile) return 0;
    const left = leftoverInstances(readInstanceRecords(this.instancesFile), procCommandLine);
    const signal = (pid: number, name: NodeJS.Signals) => {
      try {
        process.kill(pid, name);
      } catch {
        // gone meanwhile
      }
    };
    for (const { pid } of left) signal(pid, 'SIGTERM');
    const deadline = Date.now() + this.timings.stopGraceMs;
    const running = () => leftoverInstances(left, procCommandLine);
    while (running().length > 0 && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, this.timings.pollIntervalMs));
    for (const { pid } of running()) signal(pid, 'SIGKILL');
    return left.length;
  }

  /**
   * A release from outside the executor (the demo's bad deploy): every instance moves to
   * `version` at once, without waiting for health, as a careless pipeline would do it.
   */
  async deploy(target: string, version: string): Promise<void> {
    const service = this.service(target);
    if (!service.hasVersion(version)) throw new Error(`${target} has no version ${version}`);
    await service.exclusive(async () => {
      service.release(version);
      const outcome = await service.replace([...service.instances], version, false);
      if (!outcome.ok) throw new Error(`deploy ${target} ${version}: ${outcome.reason}`);
    });
  }

  instances(target: string): LocalInstanceInfo[] {
    return this.service(target).instances.map((i) => ({
      name: i.name,
      port: i.port,
      pid: i.pid,
      version: i.version,
      alive: i.exit === undefined,
    }));
  }

  /**
   * The config version each service with a data dir runs now (read from its files); undefined
   * while it runs on its defaults, with no config file yet.
   */
  configVersions(): Map<string, number | undefined> {
    const versions = new Map<string, number | undefined>();
    for (const service of this.services.values())
      if (service.data) versions.set(service.name, service.data.configVersion());
    return versions;
  }

  /** Stops every child (SIGTERM, then SIGKILL after the grace). */
  async shutdown(): Promise<void> {
    process.removeListener('exit', this.killOnExit);
    await Promise.all([...this.services.values()].map((s) => s.stopAll()));
  }

  serves(target: string): boolean {
    return this.services.has(target);
  }

  supports(action: ActionName, target: string): Capability {
    const service = this.services.get(target);
    if (!service) return { supported: false, reason: `${target} is not a local service` };
    const needs = (localActions[action] as LocalAction<ActionName>).needs;
    if (needs && !service.config.endpoints?.[needs])
      return { supported: false, reason: `${target} exposes no ${needs} endpoint` };
    const local = localActions[action] as LocalAction<ActionName>;
    if (local.needsDataDir && !service.data)
      return { supported: false, reason: `${target} has no data dir` };
    const unsupported = local.unsupported?.(service);
    if (unsupported) return { supported: false, reason: unsupported };
    return { supported: true };
  }

  supportsDryRun(action: ActionName, target: string): boolean {
    const local = localActions[action] as LocalAction<ActionName>;
    return (
      this.supports(action, target).supported && actionCatalog[action].dryRun && !!local.dryRun
    );
  }

  async describe(target: string): Promise<TargetState> {
    const service = this.service(target);
    const flags = await this.flagsOf(service);
    return { ...service.state(), ...(flags ? { flags } : {}) };
  }

  async apply(request: StepRequest): Promise<StepResult> {
    const capability = this.supports(request.action, request.target);
    if (!capability.supported) return { outcome: 'failed', detail: capability.reason };
    const check = checkStep({
      action: request.action,
      params: request.params as PlanStep['params'],
    });
    if (!check.ok) return { outcome: 'failed', detail: check.reason };
    return this.ledger.run(request, () => this.run(request, check.params));
  }

  verify(request: VerificationRequest): Promise<VerificationResult> {
    const service = this.services.get(request.target);
    if (!service)
      return Promise.resolve({ passed: false, detail: `${request.target} is not a local service` });
    return verifyLocal(service, request, this.timings);
  }

  private run(request: StepRequest, params: Record<string, unknown>): Promise<StepResult> {
    const service = this.service(request.target);
    const action = localActions[request.action] as LocalAction<ActionName>;
    return service.exclusive(async () => {
      const ctx: LocalActionContext = {
        service,
        before: await this.describe(request.target),
        probeTimeoutMs: this.timings.probeTimeoutMs,
      };
      const typed = params as Parameters<typeof action.apply>[1];
      if (!request.dryRun) return action.apply(ctx, typed);
      if (!action.dryRun || !actionCatalog[request.action].dryRun)
        return { outcome: 'failed', detail: `${request.action} has no dry-run` };
      return action.dryRun(ctx, typed);
    });
  }

  private async flagsOf(service: LocalService): Promise<Record<string, boolean> | undefined> {
    const path = service.config.endpoints?.flags;
    const first = service.instances.find((i) => i.exit === undefined);
    if (!path || !first) return undefined;
    try {
      const answer = await probe(first, path, this.timings.probeTimeoutMs);
      const parsed = flagsSchema.safeParse(JSON.parse(answer.text));
      return parsed.success ? parsed.data.flags : undefined;
    } catch {
      return undefined; // flags are extra detail for an inverse; the state stands without them
    }
  }

  private service(target: string): LocalService {
    const service = this.services.get(target);
    if (!service) throw new Error(`${target} is not a local service`);
    return service;
  }

  private killAllNow(): void {
    for (const service of this.services.values())
      for (const one of service.instances) one.child.kill('SIGKILL');
  }
}
