import type { MetricBatch } from '@vigil/contracts';
import type { Evaluation, RuleEvaluator } from '../rule-evaluator';

/** A fixed start, so times in failures read as offsets from it. */
export const t0 = Date.parse('2025-03-01T12:00:00.000Z');

/** `[name, value]` or `[name, value, labels]`. */
export type SampleSpec = readonly [string, number, Record<string, string>?];

export interface Target {
  service: string;
  instance?: string;
}

export function metricBatch(
  target: Target,
  atMs: number,
  samples: readonly SampleSpec[],
): MetricBatch {
  return {
    schemaVersion: 1,
    service: target.service,
    ...(target.instance === undefined ? {} : { instance: target.instance }),
    samples: samples.map(([name, value, labels]) => ({
      name,
      value,
      labels: labels ?? {},
      time: new Date(atMs).toISOString(),
    })),
  };
}

export interface Tick extends Evaluation {
  at: number;
}

export interface SimulationClock {
  fromMs: number;
  toMs: number;
  /** How often the services publish. */
  sampleEveryMs: number;
  /** How often the rules are evaluated; a multiple of sampleEveryMs. */
  evaluateEveryMs: number;
}

/** Runs publishing and evaluation on their intervals; samples at a tick are in before it runs. */
export function simulate(
  evaluator: RuleEvaluator,
  clock: SimulationClock,
  batchesAt: (atMs: number) => readonly MetricBatch[],
): Tick[] {
  const ticks: Tick[] = [];
  for (let at = clock.fromMs; at <= clock.toMs; at += clock.sampleEveryMs) {
    for (const batch of batchesAt(at)) evaluator.ingest(batch);
    if ((at - clock.fromMs) % clock.evaluateEveryMs === 0)
      ticks.push({ at, ...evaluator.evaluate(at) });
  }
  return ticks;
}

/** The ticks at which an alert of `rule` moved to `state`. */
export function ticksWhere(ticks: readonly Tick[], rule: string, state: string): number[] {
  return ticks
    .filter((tick) => tick.transitions.some((t) => t.alert.rule === rule && t.to === state))
    .map((tick) => tick.at);
}
