/** One start of one service, in seconds from the spawn, and its resident memory when ready. */
export interface StartupSample {
  /**
   * Until the service's own code runs (Nest starts the app): node and module loading, what
   * compiling ahead changes. Equal to readyS for a service that does not log it (the shop).
   */
  loadedS: number;
  /** Until /healthz answers: also Kafka topic checks, group joins, state read back, models. */
  readyS: number;
  /** CPU time (user and system) the process used until ready: the work, whatever else runs. */
  cpuS: number;
  rssMiB: number;
  peakRssMiB: number;
  /**
   * Resident memory no other process shares (RSS less the node binary's pages and other shared
   * ones). Missing from runs before it was measured.
   */
  privateMiB?: number;
}

/** The median of each figure over a service's starts in one mode. */
export interface ModeFigures extends StartupSample {
  starts: number;
}

export interface ServiceStartup {
  name: string;
  compiled: ModeFigures;
  tsNode: ModeFigures;
}

export interface StartupTarget {
  /** A compiled service has loaded (and, where it waits on nothing, is ready) within this many seconds. */
  readyS: number;
  /** A compiled service's RSS is at most this share of the same service's under ts-node. */
  rssRatio: number;
}

export interface StartupResults {
  date: string;
  node: string;
  cpus: number;
  /** The machine's 1-minute load average when the run started: other work slows every start. */
  loadAverage: number;
  target: StartupTarget;
  services: ServiceStartup[];
  met: { loaded: boolean; ready: boolean; rss: boolean };
}

export const startupTarget: StartupTarget = { readyS: 2, rssRatio: 0.5 };

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Medians, so one start slowed by a neighbour on a shared machine does not decide the figure. */
export function medianFigures(samples: readonly StartupSample[]): ModeFigures {
  if (samples.length === 0) throw new Error('no start to take figures from');
  return {
    loadedS: Number(median(samples.map((s) => s.loadedS)).toFixed(2)),
    readyS: Number(median(samples.map((s) => s.readyS)).toFixed(2)),
    cpuS: Number(median(samples.map((s) => s.cpuS)).toFixed(2)),
    rssMiB: Math.round(median(samples.map((s) => s.rssMiB))),
    peakRssMiB: Math.round(median(samples.map((s) => s.peakRssMiB))),
    ...privateMedian(samples),
    starts: samples.length,
  };
}

/** The median private memory, when every sample has it. */
function privateMedian(samples: readonly StartupSample[]): Pick<StartupSample, 'privateMiB'> {
  const values = samples.map((s) => s.privateMiB);
  if (values.some((v) => v === undefined)) return {};
  return { privateMiB: Math.round(median(values as number[])) };
}

/** Whether every compiled service met the target: loaded and ready in time, and RSS small enough against ts-node. */
export function startupVerdict(
  services: readonly ServiceStartup[],
  target: StartupTarget,
): StartupResults['met'] {
  return {
    loaded: services.every((s) => s.compiled.loadedS < target.readyS),
    ready: services.every((s) => s.compiled.readyS < target.readyS),
    rss: services.every((s) => s.compiled.rssMiB <= target.rssRatio * s.tsNode.rssMiB),
  };
}
