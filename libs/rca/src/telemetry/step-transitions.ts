import type { StepTransitionCount } from '../rca-case';
import type { LogLine } from '../signals/log-anomaly-detector';
import { linesBySpan, type SpanLines } from './span-lines';
import type { SpanRecord } from './telemetry-records';

/**
 * The steps a sequence of a service's work begins and ends with. A request's work in a service is
 * one sequence of spans and calls; each span's log lines are another (see stepsOfLines).
 */
export const FIRST_STEP = '(start)';
export const FIRST_LINE = '(lines)';
export const LAST_STEP = '(end)';

/**
 * How a service's work goes, step by step: which step followed which, counted per bin (see
 * StepTransitionCount). Nezha's insight, over the traces and logs a deployment has: a fault in
 * code (an exception thrown half way, a wrong value that sends a request down another branch)
 * leaves the usual steps in the service's mix, but a step that always came next stops coming
 * (missing-steps.ts looks for that). Two kinds of sequence:
 * - a request's work in a service, from its entry span (a root, or the child of another
 *   service's span) on: `entry <operation>`, then in time order `op <name>` for each span of the
 *   service under it (its internal work) and `call <service> <operation>` for each call into
 *   another service (that service's entry span; the caller's client span around it is the same
 *   step, at the client span's start: the caller's clock orders the caller's steps);
 * - the log lines one span wrote, `log <template>` in order (lines carrying trace and span ids).
 *   Apart from the spans: a line is written a moment after its span began or while a call is
 *   out, so interleaved with spans their order would vary from one request to the next.
 */
export class StepTransitionCounter {
  private counts = new Map<string, StepTransitionCount>();

  constructor(private readonly binMs: number) {}

  /** One sequence, begun at `time` (its bin): `first`, the steps, then LAST_STEP. */
  addSequence(service: string, time: number, first: string, steps: readonly string[]): void {
    let previous = first;
    for (const step of [...steps, LAST_STEP]) {
      this.add(service, time, previous, step);
      previous = step;
    }
  }

  /** The counts so far, oldest bin first; the counter starts again from nothing. */
  take(): StepTransitionCount[] {
    // asked after every span and line: nothing to hand out, nothing made
    if (this.counts.size === 0) return [];
    const counts = [...this.counts.values()].sort((a, b) => a.at - b.at);
    this.counts = new Map();
    return counts;
  }

  private add(service: string, time: number, from: string, to: string): void {
    const at = Math.floor(time / this.binMs) * this.binMs;
    const key = `${service}\u0000${at}\u0000${from}\u0000${to}`;
    const known = this.counts.get(key);
    if (known) known.count++;
    else this.counts.set(key, { service, at, from, to, count: 1 });
  }
}

/** How the spans of a request relate: the spans kept, each one's parent and entry span. */
export interface SpanRelations {
  parentOf(span: SpanRecord): SpanRecord | undefined;
  entryOf(span: SpanRecord): SpanRecord;
}

/**
 * Counts the work of the entry spans `counted` says, among `spans` (every span known, the entries'
 * own and their callers' included), into `counter`.
 */
export function countSpanSteps(
  counter: StepTransitionCounter,
  spans: readonly SpanRecord[],
  relations: SpanRelations,
  counted: (entry: SpanRecord) => boolean,
): void {
  const work = new Map<SpanRecord, Array<{ time: number; step: string }>>();
  const stepsOf = (entry: SpanRecord) => {
    let steps = work.get(entry);
    if (!steps) work.set(entry, (steps = []));
    return steps;
  };
  const clients = new Set<SpanRecord>();
  for (const span of spans) {
    const parent = relations.parentOf(span);
    if (parent && relations.entryOf(span) === span) clients.add(parent);
  }
  for (const span of spans) {
    const entry = relations.entryOf(span);
    if (entry !== span) {
      if (counted(entry) && !clients.has(span))
        stepsOf(entry).push({ time: span.start, step: `op ${span.operation}` });
      continue;
    }
    if (counted(span)) stepsOf(span);
    const parent = relations.parentOf(span);
    if (!parent) continue;
    const caller = relations.entryOf(parent);
    if (!counted(caller)) continue;
    const time = caller === parent ? span.start : parent.start;
    stepsOf(caller).push({ time, step: callStep(span.service, span.operation) });
  }
  for (const [entry, steps] of work)
    counter.addSequence(entry.service, entry.start, FIRST_STEP, [
      `entry ${entry.operation}`,
      // a stable sort: steps at one time stay in the order they were found
      ...steps.sort((a, b) => a.time - b.time).map((s) => s.step),
    ]);
}

/** The step of one log line: its template. */
export const lineStep = (templateId: string) => `log ${templateId}`;

/**
 * The line sequences of a recording's log lines (see StepTransitionCounter), each counted in the
 * bin of the span's first line: the same as apps/rca counts them live (LiveLogBehaviour). Read
 * with the longest history there is, as the templates are mined from the lines in time order.
 */
export function lineStepTransitions(
  lines: readonly LogLine[],
  // the lines by span, when the caller has them already (path series read the same)
  spans: readonly SpanLines[] = linesBySpan(lines),
): StepTransitionCount[] {
  const counter = new StepTransitionCounter(STEP_BIN_MS);
  for (const span of spans)
    counter.addSequence(span.service, span.time, FIRST_LINE, span.templateIds.map(lineStep));
  return counter.take();
}

/** The bins steps are counted in (a request counts in the bin its work began in). */
export const STEP_BIN_MS = 10_000;

/**
 * The step of a call to `service`'s `operation`: `call SERVICE OPERATION`, the name quoted (as a
 * JSON string) when it has a space or a quote, so the callee is read back whole whatever its name
 * (a `service.name` is free text).
 */
export function callStep(service: string, operation: string): string {
  return `call ${/[\s"]/.test(service) ? JSON.stringify(service) : service} ${operation}`;
}

/** The service a `call` step goes to (see callStep), or undefined for a step of the service's own. */
export function calleeOfStep(step: string): string | undefined {
  if (!step.startsWith('call ')) return undefined;
  const rest = step.slice('call '.length);
  if (rest.startsWith('"')) {
    const quoted = /^"(?:[^"\\]|\\.)*"/.exec(rest);
    try {
      return quoted ? (JSON.parse(quoted[0]) as string) : undefined;
    } catch {
      return undefined; // not a name callStep quoted
    }
  }
  const space = rest.indexOf(' ');
  return space < 0 ? rest : rest.slice(0, space);
}
