import type { LogLine } from '../signals/log-anomaly-detector';
import { LogTemplateMiner } from '../signals/log-template-miner';

/** The lines one span of a service wrote, as templates in order, from the time of its first. */
export interface SpanLines {
  service: string;
  time: number;
  templateIds: string[];
}

/**
 * Each span's lines (those that carry trace and span ids; others are left out), in the order the
 * spans began, their templates mined from all the lines in time order: give the longest history
 * there is, so a template has one id throughout.
 */
export function linesBySpan(lines: readonly LogLine[]): SpanLines[] {
  const miner = new LogTemplateMiner();
  const spans = new Map<string, SpanLines>();
  for (const line of [...lines].sort((a, b) => a.time - b.time)) {
    if (!line.traceId || !line.spanId) continue;
    const key = `${line.service}\u0000${line.traceId}\u0000${line.spanId}`;
    let span = spans.get(key);
    if (!span) spans.set(key, (span = { service: line.service, time: line.time, templateIds: [] }));
    span.templateIds.push(miner.add(line.service, line.body).templateId);
  }
  return [...spans.values()].sort((a, b) => a.time - b.time);
}
