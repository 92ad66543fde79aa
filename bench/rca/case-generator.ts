import type { RcaCase } from '@vigil/rca';
import { type BackgroundKind, addBackground, ancestorsOf } from './background';
import { type Clock, emptyEffects } from './effects';
import { alertsFrom, logsFrom } from './evidence';
import { FAULT_TYPES, type FaultType, eligibleRoots, injectFault } from './faults';
import { Rng } from './random';
import { simulate } from './simulation';
import { SYSTEMS, type SystemSpec, toRcaTopology } from './topologies';

/**
 * The labelled root-cause cases of `npm run bench:rca` (bench/rca/README.md): for each system,
 * each fault type and each replicate, one fault on one root service, 30 minutes of metrics at a
 * 5 s step with the fault injected between minute 18 and 22, unrelated background anomalies, and
 * the alerts and log evidence a real deployment would have. Deterministic from the seed; each case
 * draws from its own stream, so generating one system or fault type alone gives the same cases.
 */

export const DEFAULT_RCA_SEED = 'vigil-rca-cases-v1';
export const DEFAULT_CASES_PER_TYPE = 5;
export const STEP_MS = 5_000;
const WINDOW_MINUTES = 30;
/** Midnight UTC, 2 March 2026: case windows are laid out one per hour from here. */
const EPOCH = Date.UTC(2026, 2, 2);

export interface BackgroundSummary {
  kind: BackgroundKind;
  services: string[];
  start: number;
  end: number;
  nearFault: boolean;
}

export interface GeneratedCase {
  /** `<system>/<fault>/<root>-<replicate>`. */
  id: string;
  system: string;
  faultType: FaultType;
  rootService: string;
  /** Dependency loss only: the healthy callee the root could no longer reach. */
  lostDependency?: string;
  /** Epoch ms of the injection; also `rcaCase.anomalyStart`. */
  injectTime: number;
  description: string;
  traits: string[];
  background: BackgroundSummary[];
  rcaCase: RcaCase;
}

export interface RcaCaseSuite {
  seed: string;
  cases: GeneratedCase[];
}

export interface GenerateOptions {
  seed?: string;
  casesPerType?: number;
  systems?: readonly string[];
  faultTypes?: readonly FaultType[];
}

export function generateRcaCases(options: GenerateOptions = {}): RcaCaseSuite {
  const seed = options.seed ?? DEFAULT_RCA_SEED;
  const perType = options.casesPerType ?? DEFAULT_CASES_PER_TYPE;
  const root = new Rng(seed);
  const cases: GeneratedCase[] = [];
  SYSTEMS.forEach((system, s) => {
    if (options.systems && !options.systems.includes(system.name)) return;
    FAULT_TYPES.forEach((type, f) => {
      if (options.faultTypes && !options.faultTypes.includes(type)) return;
      const roots = root.fork(`roots/${system.name}/${type}`).shuffle(eligibleRoots(system, type));
      for (let i = 0; i < perType; i++) {
        const hour = s * 1000 + f * 100 + i;
        const rng = root.fork(`case/${system.name}/${type}/${i}`);
        cases.push(generateCase(system, type, roots[i % roots.length], i + 1, hour, rng));
      }
    });
  });
  return { seed, cases };
}

function generateCase(
  system: SystemSpec,
  type: FaultType,
  rootService: string,
  replicate: number,
  hour: number,
  rng: Rng,
): GeneratedCase {
  const clock: Clock = {
    start: EPOCH + hour * 3_600_000,
    stepMs: STEP_MS,
    steps: (WINDOW_MINUTES * 60_000) / STEP_MS,
  };
  const injectStep = rng.int((18 * 60_000) / STEP_MS, (22 * 60_000) / STEP_MS);
  const effects = emptyEffects(
    system.services.map((s) => s.name),
    clock.steps,
  );
  const fault = injectFault(
    system,
    effects,
    type,
    rootService,
    injectStep,
    clock,
    rng.fork('fault'),
  );
  const excluded = new Set([rootService, ...ancestorsOf(system, rootService)]);
  if (fault.lostDependency) excluded.add(fault.lostDependency);
  const background = addBackground(
    system,
    effects,
    excluded,
    injectStep,
    clock,
    rng.fork('background'),
  );
  const sim = simulate(system, effects, clock, rng.fork('simulation'));
  const injectTime = clock.start + injectStep * clock.stepMs;
  const rcaCase: RcaCase = {
    topology: toRcaTopology(system),
    series: sim.series,
    logs: logsFrom(system, sim, [...fault.newTemplates, ...background.newTemplates], clock),
    alerts: alertsFrom(system, sim.series, clock),
    anomalyStart: injectTime,
  };
  const traits = [...fault.traits];
  if (background.anomalies.some((a) => a.nearFault)) traits.push('background-near-fault');
  return {
    id: `${system.name}/${type}/${rootService}-${replicate}`,
    system: system.name,
    faultType: type,
    rootService,
    lostDependency: fault.lostDependency,
    injectTime,
    description: fault.description,
    traits,
    background: background.anomalies.map((a) => ({
      kind: a.kind,
      services: a.services,
      start: clock.start + a.startStep * clock.stepMs,
      end: clock.start + a.endStep * clock.stepMs,
      nearFault: a.nearFault,
    })),
    rcaCase,
  };
}

/** Counts per system and fault type, for reports and the README. */
export function suiteStats(suite: RcaCaseSuite): Map<string, number> {
  const counts = new Map<string, number>();
  for (const c of suite.cases) {
    const key = `${c.system}/${c.faultType}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}
