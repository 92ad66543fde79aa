import type { AlertPolicyEvent, TopologyGraph } from '@vigil/contracts';
import { Rng } from '../prng';
import { type LabeledAlert, ScenarioBuilder } from '../scenario-builder';
import { SystemModel } from '../system-model';
import { type HoldRule, PolicyBook, holdingRule } from './policy-book';

/**
 * The storm family (bench/correlation/README.md, "The storm family"): written apart from the 13
 * tuned scenarios, after they were tuned. Unrelated trouble on the very services an incident hits
 * while it runs, chronic alerts that fire all day, half the alerts never sending a resolve, and
 * people silencing alerts and running planned maintenance in the middle of a storm.
 *
 * The seed was written here before the first measurement and is not to be changed after.
 */
export const STORM_FAMILY_SEED = 'vigil-storm-family-2026-12-03';

/** Share of alert series whose resolve is never sent (log- and IDS-derived sources, lost resolves). */
export const UNRESOLVED_SHARE = 0.5;

/** One storm: like a corpus scenario, plus what people silenced and put under maintenance. */
export interface StormScenario {
  id: string;
  title: string;
  models: string;
  /** Minutes after the family's day start (UTC) at which the scenario begins. */
  startMinute: number;
  durationMinutes: number;
  build(b: ScenarioBuilder, policy: PolicyBook): void;
}

/** An occurrence with its truth; `heldBy` names the silence or window that must keep it out of any incident. */
export interface StormAlert extends LabeledAlert {
  heldBy?: string;
}

export interface StormCorpus {
  id: string;
  title: string;
  models: string;
  start: number;
  end: number;
  topology: TopologyGraph;
  alerts: StormAlert[];
  policy: AlertPolicyEvent[];
  rules: HoldRule[];
  /** Alert series in all and those that never send a resolve. */
  series: number;
  unresolved: number;
}

/** The family's scenarios run on consecutive days from Monday 4 May 2026. */
const FIRST_DAY = Date.parse('2026-05-04T00:00:00Z');
const DAY = 86_400_000;

export function generateStormFamily(
  scenarios: readonly StormScenario[],
  seed: string = STORM_FAMILY_SEED,
): StormCorpus[] {
  const root = new Rng(seed);
  const system = new SystemModel(root.fork('system'));
  const topology = system.topology();
  return scenarios.map((scenario, day) => {
    const rng = root.fork(`storm/${scenario.id}`);
    const start = FIRST_DAY + day * DAY + scenario.startMinute * 60_000;
    const end = start + scenario.durationMinutes * 60_000;
    const builder = new ScenarioBuilder(scenario.id, system, rng, start, end);
    const policy = new PolicyBook(scenario.id);
    scenario.build(builder, policy);
    const dropped = dropResolves(builder.build(), rng.fork('resolves'));
    return {
      id: scenario.id,
      title: scenario.title,
      models: scenario.models,
      start,
      end,
      topology,
      alerts: markHeld(dropped.alerts, policy.rules),
      policy: policy.events,
      rules: policy.rules,
      series: dropped.series,
      unresolved: dropped.unresolved,
    };
  });
}

/** A series is one firing of one alert: its fingerprint and startsAt. */
function seriesKey(a: LabeledAlert): string {
  return `${a.alert.fingerprint}@${a.alert.startsAt}`;
}

/**
 * Drops the resolve of a seeded share of series, and counts the series that send none at all
 * (also those still firing at the end, and the one-shot IDS events).
 */
function dropResolves(alerts: readonly LabeledAlert[], r: Rng) {
  const keys = [...new Set(alerts.map(seriesKey))];
  const drop = new Set(keys.filter(() => r.chance(UNRESOLVED_SHARE)));
  const kept = alerts.filter((a) => a.alert.status === 'firing' || !drop.has(seriesKey(a)));
  const resolved = new Set(kept.filter((a) => a.alert.status === 'resolved').map(seriesKey));
  return { alerts: kept, series: keys.length, unresolved: keys.length - resolved.size };
}

/**
 * The truth of what people asked for: a firing occurrence inside a matching silence or window is
 * held back; so is the resolve of a series none of whose firing occurrences got through (it
 * closes nothing). Times are those of arrival, as the correlator's gate judges them.
 */
function markHeld(alerts: readonly LabeledAlert[], rules: readonly HoldRule[]): StormAlert[] {
  const heldOnly = new Map<string, string | undefined>();
  return alerts.map((a) => {
    const key = seriesKey(a);
    if (a.alert.status === 'resolved') {
      const heldBy = heldOnly.get(key);
      return heldBy ? { ...a, heldBy } : { ...a };
    }
    const rule = holdingRule(rules, a.alert, Date.parse(a.alert.receivedAt));
    const before = heldOnly.has(key) ? heldOnly.get(key) : rule?.id;
    heldOnly.set(key, rule && before ? rule.id : undefined);
    return rule ? { ...a, heldBy: rule.id } : { ...a };
  });
}
