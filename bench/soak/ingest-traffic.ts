/**
 * What went through ingest in each minute of a soak: alerts accepted (by source), requests refused
 * (by reason) and the most alerts it held waiting for Kafka. Read beside ingest's memory, it says
 * whether a rise came with more alerts, with alerts held while Kafka was slow, or with neither.
 */
export interface IngestMinute {
  /** Most alerts waiting for Kafka's ack at any poll in the minute. */
  maxInFlight: number;
  accepted: Record<string, number>;
  rejected: Record<string, number>;
}

/** Ingest's counters and gauge as its /metrics text says them now. */
export interface IngestCounters {
  inFlight: number;
  accepted: Record<string, number>;
  rejected: Record<string, number>;
}

/** A counter's samples in Prometheus text, summed by the value of one of their labels. */
function byLabel(metricsText: string, name: string, label: string): Record<string, number> {
  const pattern = new RegExp(
    `^${name}\\{(?:[^}]*,)?${label}="([^"]*)"[^}]*\\} ([0-9.eE+-]+)$`,
    'gm',
  );
  const values: Record<string, number> = {};
  for (const [, key, value] of metricsText.matchAll(pattern))
    values[key] = (values[key] ?? 0) + Number(value);
  return values;
}

export function ingestCounters(metricsText: string): IngestCounters {
  const inFlight = /^vigil_ingest_alerts_in_flight ([0-9.eE+-]+)$/m.exec(metricsText);
  return {
    inFlight: inFlight ? Number(inFlight[1]) : 0,
    accepted: byLabel(metricsText, 'vigil_ingest_alerts_accepted_total', 'source'),
    rejected: byLabel(metricsText, 'vigil_ingest_requests_rejected_total', 'reason'),
  };
}

/** How much each counter rose from `before` to `after` (a counter new since counts from 0). */
function rise(before: Record<string, number>, after: Record<string, number>) {
  return Object.fromEntries(
    Object.entries(after)
      .map(([key, value]) => [key, value - (before[key] ?? 0)] as const)
      .filter(([, delta]) => delta > 0),
  );
}

/**
 * Folds polls of ingest's counters into minutes: `poll` as often as wanted, `minute()` at each
 * sample of the soak closes the minute and starts the next.
 */
export class IngestTraffic {
  private last: IngestCounters | undefined;
  private atMinuteStart: IngestCounters | undefined;
  private maxInFlight = 0;

  poll(counters: IngestCounters): void {
    this.atMinuteStart ??= counters;
    this.last = counters;
    this.maxInFlight = Math.max(this.maxInFlight, counters.inFlight);
  }

  minute(): IngestMinute {
    const start = this.atMinuteStart;
    const end = this.last;
    const figures: IngestMinute = {
      maxInFlight: this.maxInFlight,
      accepted: start && end ? rise(start.accepted, end.accepted) : {},
      rejected: start && end ? rise(start.rejected, end.rejected) : {},
    };
    this.atMinuteStart = end;
    this.maxInFlight = end?.inFlight ?? 0;
    return figures;
  }
}

/** A soak's whole ingest traffic: for the README, beside the memory it went with. */
export interface IngestTrafficSummary {
  accepted: number;
  rejected: Record<string, number>;
  /** Minutes in which some request was refused. */
  refusingMinutes: number[];
  maxInFlight: number;
}

export function summariseIngestTraffic(
  minutes: ReadonlyArray<{ minute: number; ingest?: IngestMinute }>,
): IngestTrafficSummary | undefined {
  const seen = minutes.filter((m) => m.ingest !== undefined);
  if (seen.length === 0) return undefined;
  const summary: IngestTrafficSummary = {
    accepted: 0,
    rejected: {},
    refusingMinutes: [],
    maxInFlight: 0,
  };
  for (const { minute, ingest } of seen) {
    if (!ingest) continue;
    for (const n of Object.values(ingest.accepted)) summary.accepted += n;
    for (const [reason, n] of Object.entries(ingest.rejected))
      summary.rejected[reason] = (summary.rejected[reason] ?? 0) + n;
    if (Object.keys(ingest.rejected).length > 0) summary.refusingMinutes.push(minute);
    summary.maxInFlight = Math.max(summary.maxInFlight, ingest.maxInFlight);
  }
  return summary;
}

/** Minutes as ranges: [3, 4, 5, 9] is "3-5, 9". */
export function minuteRanges(minutes: readonly number[]): string {
  const ranges: string[] = [];
  for (let i = 0; i < minutes.length; ) {
    let j = i;
    while (j + 1 < minutes.length && minutes[j + 1] === minutes[j] + 1) j++;
    ranges.push(i === j ? `${minutes[i]}` : `${minutes[i]}-${minutes[j]}`);
    i = j + 1;
  }
  return ranges.join(', ');
}
