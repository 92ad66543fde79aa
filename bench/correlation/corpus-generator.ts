import type { TopologyGraph } from '@vigil/contracts';
import { Rng } from './prng';
import { type LabeledAlert, ScenarioBuilder } from './scenario-builder';
import { SCENARIOS, type Scenario } from './scenarios';
import { SystemModel } from './system-model';

export type { LabeledAlert } from './scenario-builder';

/** The default seed: the corpus the benchmark reports on. */
export const DEFAULT_CORPUS_SEED = 'vigil-correlation-corpus-v1';

export interface ScenarioCorpus {
  id: string;
  title: string;
  models: string;
  /** Window of the scenario, ISO times. */
  start: string;
  end: string;
  topology: TopologyGraph;
  /** Occurrences in the order Vigil receives them (receivedAt, then emission order). */
  alerts: LabeledAlert[];
}

export interface Corpus {
  seed: string;
  /** One topology for all scenarios: the system does not change between them. */
  topology: TopologyGraph;
  scenarios: ScenarioCorpus[];
}

/** Scenario i runs on its own day, so the scenarios also concatenate into one ordered stream. */
const FIRST_DAY = Date.parse('2026-03-02T00:00:00Z');
const DAY = 86_400_000;

/**
 * Generates the whole evaluation corpus. Deterministic: the same seed gives byte-identical
 * output (no clock, no Math.random, no environment), so figures are comparable run to run.
 */
export function generateCorpus(
  seed: string = DEFAULT_CORPUS_SEED,
  only?: readonly string[],
): Corpus {
  const root = new Rng(seed);
  const system = new SystemModel(root.fork('system'));
  const topology = system.topology();
  const scenarios = SCENARIOS.map((scenario, day) => ({ scenario, day }))
    .filter(({ scenario }) => !only || only.includes(scenario.id))
    .map(({ scenario, day }) => generateScenario(scenario, day, system, root, topology));
  return { seed, topology, scenarios };
}

function generateScenario(
  scenario: Scenario,
  day: number,
  system: SystemModel,
  root: Rng,
  topology: TopologyGraph,
): ScenarioCorpus {
  const rng = root.fork(`scenario/${scenario.id}`);
  // business hours UTC, a different minute every day
  const start = FIRST_DAY + day * DAY + (7 * 60 + rng.int(0, 90)) * 60_000;
  const end = start + scenario.durationMinutes * 60_000;
  const builder = new ScenarioBuilder(scenario.id, system, rng, start, end);
  scenario.build(builder);
  return {
    id: scenario.id,
    title: scenario.title,
    models: scenario.models,
    start: new Date(start).toISOString(),
    end: new Date(end).toISOString(),
    topology,
    alerts: builder.build(),
  };
}

export interface CorpusStats {
  id: string;
  alerts: number;
  firing: number;
  resolved: number;
  fingerprints: number;
  incidents: number;
  /** Alerts in the largest incident. */
  largestIncident: number;
  singleAlertIncidents: number;
}

export function scenarioStats(scenario: ScenarioCorpus): CorpusStats {
  const sizes = new Map<string, number>();
  const fingerprintsOf = new Map<string, Set<string>>();
  for (const { alert, truth } of scenario.alerts) {
    sizes.set(truth, (sizes.get(truth) ?? 0) + 1);
    const set = fingerprintsOf.get(truth) ?? new Set<string>();
    set.add(alert.fingerprint);
    fingerprintsOf.set(truth, set);
  }
  const resolved = scenario.alerts.filter((a) => a.alert.status === 'resolved').length;
  return {
    id: scenario.id,
    alerts: scenario.alerts.length,
    firing: scenario.alerts.length - resolved,
    resolved,
    fingerprints: new Set(scenario.alerts.map((a) => a.alert.fingerprint)).size,
    incidents: sizes.size,
    largestIncident: Math.max(0, ...sizes.values()),
    singleAlertIncidents: [...fingerprintsOf.values()].filter((s) => s.size === 1).length,
  };
}
