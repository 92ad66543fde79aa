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
}

export const defaultEventMixShiftOptions: EventMixShiftOptions = {
  binMs: 10_000,
  prior: 5,
  minReference: 20,
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

  /** One point per bin that has events and enough history before it. */
  toSeries(metric: string): MetricSeries[] {
    const out: MetricSeries[] = [];
    for (const [service, perBin] of this.bins) {
      const reference = new Map<string, number>();
      let referenceTotal = 0;
      const times: number[] = [];
      const values: number[] = [];
      for (const time of [...perBin.keys()].sort((a, b) => a - b)) {
        const counts = perBin.get(time) ?? new Map<string, number>();
        if (referenceTotal >= this.options.minReference) {
          times.push(time);
          values.push(this.distance(counts, reference, referenceTotal));
        }
        for (const [event, count] of counts) {
          reference.set(event, (reference.get(event) ?? 0) + count);
          referenceTotal += count;
        }
      }
      if (times.length > 0) out.push({ service, metric, times, values });
    }
    return out;
  }

  private distance(
    counts: ReadonlyMap<string, number>,
    reference: ReadonlyMap<string, number>,
    referenceTotal: number,
  ): number {
    const prior = this.options.prior;
    let n = 0;
    for (const count of counts.values()) n += count;
    let sum = 0;
    let sharedReference = 0;
    for (const [event, count] of counts) {
      const q = (reference.get(event) ?? 0) / referenceTotal;
      sharedReference += q;
      sum += Math.abs((count + prior * q) / (n + prior) - q);
    }
    // events of the reference missing from the bin: each at prior * q / (n + prior) instead of q
    sum += Math.max(0, 1 - sharedReference) * (n / (n + prior));
    return sum / 2;
  }
}
