import type { TargetState } from '@vigil/action-catalog';
import type { InstanceRecord } from './instance-records';
import { LocalDataDir } from './local-data-dir';
import {
  portIsFree,
  spawnInstance,
  stopInstance,
  waitForInstance,
  type LocalInstance,
} from './local-instance';
import type {
  LocalProcessTimings,
  LocalServiceConfig,
  LocalServiceVersion,
} from './local-process-config';

export type Outcome = { ok: true } | { ok: false; reason: string };

/**
 * The instances of one service and its release history. Every operation that changes processes
 * runs through `exclusive`, so two steps on one service never interleave their starts and stops.
 */
export class LocalService {
  instances: LocalInstance[] = [];
  currentVersion: string;
  previousVersion: string | undefined;
  /** Instances taken out by drain-instance, so draining one again is recognised. */
  readonly drained = new Set<string>();
  /** Where the service keeps what outlives its processes, when it has a data dir. */
  readonly data: LocalDataDir | undefined;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    readonly name: string,
    readonly config: LocalServiceConfig,
    private readonly timings: LocalProcessTimings,
    /** Called whenever an instance is added, replaced or taken away (scrape targets follow). */
    private readonly onInstancesChanged: () => void = () => undefined,
  ) {
    const last = config.versions[config.versions.length - 1];
    if (!last) throw new Error(`service ${name} has no versions`);
    this.currentVersion = config.initialVersion ?? last.version;
    this.data = config.dataDir ? new LocalDataDir(config.dataDir) : undefined;
    // a release recorded before this adapter started (a restarted executor) still holds
    const recorded = this.data?.readRelease();
    if (recorded && this.hasVersion(recorded.current)) {
      this.currentVersion = recorded.current;
      this.previousVersion = recorded.previous;
    }
    this.versionConfig(this.currentVersion);
  }

  get healthPath(): string {
    return this.config.healthPath ?? '/healthz';
  }

  /** The processes of this service that run now, as the adapter records them. */
  records(): InstanceRecord[] {
    return this.instances.flatMap((instance) => {
      if (instance.exit !== undefined || instance.pid === undefined) return [];
      const version = this.versionConfig(instance.version);
      const commandLine = [version.command, ...(version.args ?? [])];
      return [{ service: this.name, port: instance.port, pid: instance.pid, commandLine }];
    });
  }

  exclusive<T>(work: () => Promise<T>): Promise<T> {
    const run = this.queue.then(work, work);
    this.queue = run.catch(() => undefined);
    return run;
  }

  state(): TargetState {
    return {
      replicas: this.instances.length,
      version: this.currentVersion,
      ...(this.previousVersion ? { previousVersion: this.previousVersion } : {}),
      ...this.configState(),
    };
  }

  private configState(): Pick<TargetState, 'configVersion' | 'primary'> {
    const configVersion = this.data?.configVersion();
    const primary = this.data?.primary();
    return {
      ...(configVersion === undefined ? {} : { configVersion }),
      ...(primary === undefined ? {} : { primary }),
    };
  }

  hasVersion(version: string): boolean {
    return this.config.versions.some((v) => v.version === version);
  }

  instance(name: string): LocalInstance | undefined {
    return this.instances.find((i) => i.name === name);
  }

  /** Starts `count` instances of the current version on free ports. */
  async addInstances(count: number, healthy: boolean): Promise<Outcome> {
    const ports = await this.freePorts(count);
    if (ports.length < count)
      return { ok: false, reason: `only ${ports.length} free ports of ${this.portRange()}` };
    const version = this.versionConfig(this.currentVersion);
    const started = ports.map((port) => this.launch(version, port));
    return all(await Promise.all(started.map((i) => this.waitFor(i, healthy))));
  }

  /** Stops the newest `count` instances (the oldest have served longest and are kept). */
  async removeInstances(count: number): Promise<void> {
    const removed = this.instances.slice(this.instances.length - count);
    this.instances = this.instances.slice(0, this.instances.length - count);
    this.onInstancesChanged();
    await Promise.all(removed.map((i) => stopInstance(i, this.timings.stopGraceMs)));
  }

  async drain(instance: LocalInstance, graceMs: number): Promise<void> {
    this.instances = this.instances.filter((i) => i !== instance);
    this.drained.add(instance.name);
    this.onInstancesChanged();
    await stopInstance(instance, graceMs);
  }

  /** Stops the instances and starts them again on their ports with `version`, all at once. */
  async replace(
    batch: readonly LocalInstance[],
    version: string,
    healthy: boolean,
  ): Promise<Outcome> {
    const config = this.versionConfig(version);
    await Promise.all(batch.map((i) => stopInstance(i, this.timings.stopGraceMs)));
    const started = batch.map((old) => this.launch(config, old.port, old));
    return all(await Promise.all(started.map((i) => this.waitFor(i, healthy))));
  }

  /** Records a release: the version the service should run from now on. */
  release(version: string): void {
    if (version === this.currentVersion) return;
    this.previousVersion = this.currentVersion;
    this.currentVersion = version;
    this.data?.writeRelease(this.currentVersion, this.previousVersion);
  }

  versionConfig(version: string): LocalServiceVersion {
    const found = this.config.versions.find((v) => v.version === version);
    if (!found) throw new Error(`service ${this.name} has no version ${version}`);
    return found;
  }

  async stopAll(): Promise<void> {
    const stopping = this.instances;
    this.instances = [];
    this.onInstancesChanged();
    await Promise.all(stopping.map((i) => stopInstance(i, this.timings.stopGraceMs)));
  }

  private launch(version: LocalServiceVersion, port: number, replacing?: LocalInstance) {
    this.data?.ensure();
    const instance = spawnInstance(this.name, version, port, this.data?.root);
    if (replacing) this.instances[this.instances.indexOf(replacing)] = instance;
    else this.instances.push(instance);
    this.onInstancesChanged();
    return instance;
  }

  private async waitFor(instance: LocalInstance, healthy: boolean): Promise<Outcome> {
    const { startupTimeoutMs, healthTimeoutMs, pollIntervalMs, probeTimeoutMs } = this.timings;
    const timing = { pollIntervalMs, probeTimeoutMs };
    const up = await waitForInstance(instance, this.healthPath, {
      ...timing,
      timeoutMs: startupTimeoutMs,
      healthy: false,
    });
    if (!up.ok || !healthy) return up;
    return waitForInstance(instance, this.healthPath, {
      ...timing,
      timeoutMs: healthTimeoutMs,
      healthy: true,
    });
  }

  private async freePorts(count: number): Promise<number[]> {
    const used = new Set(this.instances.map((i) => i.port));
    const free: number[] = [];
    const { from, to } = this.config.ports;
    for (let port = from; port <= to && free.length < count; port++) {
      if (!used.has(port) && (await portIsFree(port))) free.push(port);
    }
    return free;
  }

  private portRange(): string {
    return `${this.config.ports.from}-${this.config.ports.to}`;
  }
}

function all(outcomes: readonly Outcome[]): Outcome {
  const reasons = outcomes.flatMap((o) => (o.ok ? [] : [o.reason]));
  return reasons.length === 0 ? { ok: true } : { ok: false, reason: reasons.join('; ') };
}
