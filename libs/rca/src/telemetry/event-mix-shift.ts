import type { MetricSeries } from '../rca-case';

export interface EventMixShiftOptions {
  /** Width of one time bin. */
  binMs: number;
  /**
   * Pseudo-events of the reference mix added to every bin: a bin of two lines says little about
   * a mix, so it is pulled toward what the service usually does and only many events can move it
   * far.
   */
  prior: number;
  /** Events a service must have had before its bins are compared with them. */
  minReference: number;
  /**
   * How many bins up to each one are compared as one mix (1: the bin alone). A service that
   * serves a request every few seconds has two or three events in a 10 s bin, too few for a mix;
   * a window of bins holds enough, and the reference stays what came before the window.
   */
  windowBins: number;
}

export const defaultEventMixShiftOptions: EventMixShiftOptions = {
  binMs: 10_000,
  prior: 5,
  minReference: 20,
  windowBins: 1,
};

/**
 * How far the mix of a service's events (log templates, span operations, calls to other
 * services) in each time bin departs from the mix of everything it did before that bin: the total
 * variation distance, 0 (same mix) to 1 (nothing in common). Faults in a service's own code (an
 * exception, a wrong answer) show as events that are new or much more frequent, and as usual ones
 * that vanish, whatever the volume; a service that merely gets fewer or more requests keeps its
 * mix. The series is scored like any metric: against the service's own normal bins.
 */
export class EventMixShift {
  private readonly bins = new Map<string, Map<number, Map<string, number>>>();
  private readonly options: EventMixShiftOptions;

  constructor(options: Partial<EventMixShiftOptions> = {}) {
    this.options = { ...defaultEventMixShiftOptions, ...options };
  }

  add(service: string, time: number, event: string): void {
    let perBin = this.bins.get(service);
    if (!perBin) this.bins.set(service, (perBin = new Map()));
    const bin = Math.floor(time / this.options.binMs) * this.options.binMs;
    let counts = perBin.get(bin);
    if (!counts) perBin.set(bin, (counts = new Map()));
    counts.set(event, (counts.get(event) ?? 0) + 1);
  }

  /**
   * One point per bin that has events and enough history before its window: how far the window's
   * mix departs from the reference (`distance`), or the share of the window's events never seen
   * before it (`novelty`: a service whose events are always new, say with ids left in, has a
   * high share every time, and only a change in it is news).
   */
  toSeries(metric: string, measure: keyof MixPoint = 'distance'): MetricSeries[] {
    return this.toSeriesOf({ [measure]: metric });
  }

  /**
   * Several measures from one pass over the bins, each under its series name. `windows` carries
   * each service's window from an earlier call on (bins read a batch at a time, in time order).
   */
  toSeriesOf(
    names: Partial<Record<keyof MixPoint, string>>,
    windows = new Map<string, MixWindow>(),
  ): MetricSeries[] {
    const wanted = Object.entries(names) as Array<[keyof MixPoint, string]>;
    const out: MetricSeries[] = [];
    for (const [service, perBin] of this.bins) {
      let window = windows.get(service);
      if (!window) windows.set(service, (window = new MixWindow(this.options)));
      const times: number[] = [];
      const points: MixPoint[] = [];
      for (const time of [...perBin.keys()].sort((a, b) => a - b)) {
        const point = window.push(time, perBin.get(time) ?? new Map<string, number>());
        if (!point) continue;
        times.push(time);
        points.push(point);
      }
      if (times.length === 0) continue;
      const windowMs = window.windowMs;
      for (const [measure, metric] of wanted)
        out.push({
          service,
          metric,
          times: [...times],
          values: points.map((p) => p[measure]),
          ...(windowMs && { windowMs }),
        });
    }
    return out;
  }
}

/** What one window of a service's events says against what came before it. */
export interface MixPoint {
  distance: number;
  novelty: number;
}

/**
 * One service's window of bins and its reference, fed bin by bin in time order: the part both
 * {@link EventMixShift} (a whole recording at once) and the live evidence store (bins as they
 * close) compute with. The reference keeps at most `maxReferenceEvents` kinds of event; past it
 * every count is halved and those at zero are forgotten, so old habits fade and memory is bounded.
 */
export class MixWindow {
  private readonly reference = new Map<string, number>();
  private referenceTotal = 0;
  /** Kinds of event the reference holds exactly once (the Good-Turing count), kept as it changes. */
  private referenceOnce = 0;
  private readonly window: Array<[number, ReadonlyMap<string, number>]> = [];
  private readonly options: EventMixShiftOptions;

  constructor(
    options: Partial<EventMixShiftOptions> = {},
    private readonly maxReferenceEvents = 5_000,
  ) {
    this.options = { ...defaultEventMixShiftOptions, ...options };
  }

  /** How long a point's window is, when it is more than one bin. */
  get windowMs(): number | undefined {
    return this.options.windowBins > 1 ? this.options.windowBins * this.options.binMs : undefined;
  }

  /** The bin starting at `time` (later than every bin before); its point once history allows. */
  push(time: number, counts: ReadonlyMap<string, number>): MixPoint | undefined {
    const span = this.options.windowBins * this.options.binMs;
    // bins that left the window become part of what the service usually does
    while (this.window.length > 0 && this.window[0][0] <= time - span) {
      const [, old] = this.window.shift() as [number, ReadonlyMap<string, number>];
      for (const [event, count] of old) {
        const before = this.reference.get(event) ?? 0;
        if (before === 1) this.referenceOnce--;
        if (before + count === 1) this.referenceOnce++;
        this.reference.set(event, before + count);
        this.referenceTotal += count;
      }
    }
    if (this.reference.size > this.maxReferenceEvents) this.fade();
    this.window.push([time, counts]);
    if (this.referenceTotal < this.options.minReference) return undefined;
    const current = new Map<string, number>();
    for (const [, binCounts] of this.window) addCounts(current, binCounts);
    return {
      distance: mixDistance(current, this.reference, this.referenceTotal, this.options.prior),
      novelty: novelShare(
        current,
        this.reference,
        this.referenceOnce / Math.max(1, this.referenceTotal),
      ),
    };
  }

  private fade(): void {
    this.referenceTotal = 0;
    this.referenceOnce = 0;
    for (const [event, count] of this.reference) {
      const halved = Math.floor(count / 2);
      if (halved === 0) this.reference.delete(event);
      else this.reference.set(event, halved);
      this.referenceTotal += halved;
      if (halved === 1) this.referenceOnce++;
    }
  }
}

/**
 * Total variation distance between a window's mix and the reference, the window pulled toward the
 * reference by `prior` pseudo-events (a window of two events says little about a mix).
 */
function mixDistance(
  counts: ReadonlyMap<string, number>,
  reference: ReadonlyMap<string, number>,
  referenceTotal: number,
  prior: number,
): number {
  let n = 0;
  for (const count of counts.values()) n += count;
  let sum = 0;
  let sharedReference = 0;
  for (const [event, count] of counts) {
    const q = (reference.get(event) ?? 0) / referenceTotal;
    sharedReference += q;
    sum += Math.abs((count + prior * q) / (n + prior) - q);
  }
  // events of the reference missing from the window: each at prior * q / (n + prior) instead of q
  sum += Math.max(0, 1 - sharedReference) * (n / (n + prior));
  return sum / 2;
}

/** Adds `counts` into `into`. */
function addCounts(into: Map<string, number>, counts: ReadonlyMap<string, number>): void {
  for (const [event, count] of counts) into.set(event, (into.get(event) ?? 0) + count);
}

/**
 * The share of the events in `counts` that `reference` never had, beyond the share a reference
 * of that size leaves unseen anyway (Good-Turing: about the share of its events seen only once).
 * A thin reference, say the first minutes of a service, has most of its paths once, and new ones
 * are expected there; a service that has run a while repeats its paths, and new ones are news.
 */
function novelShare(
  counts: ReadonlyMap<string, number>,
  reference: ReadonlyMap<string, number>,
  unseenShare: number,
): number {
  let all = 0;
  let novel = 0;
  for (const [event, count] of counts) {
    all += count;
    if (!reference.has(event)) novel += count;
  }
  return all === 0 ? 0 : Math.max(0, novel / all - unseenShare);
}
