import { type CaseEffects, type Clock, type ServiceEffects, effectsOf, overSteps } from './effects';
import type { Rng } from './random';
import type { SystemSpec } from './topologies';

/**
 * Generator variants (bench/rca/README.md, "The other-choices variant"). Vigil's ranker was
 * developed on the default generator, and some of its rules mirror that generator's own choices.
 * `other-choices` makes different, equally plausible ones, so a rule that only holds because the
 * generator happens to behave that way shows up as a drop in accuracy:
 *
 * - a crashed service's metrics keep coming, each series repeating its last value (a push
 *   gateway, an exporter cache or a pipeline that fills gaps forward), instead of going missing
 *   or reading zero;
 * - alerts come from another vocabulary (names below), and "the service is gone" comes from a
 *   blackbox probe of its endpoint, since with stale metrics no scrape ever goes missing;
 * - datastores report their own latency (p50 and p99, as exporters with latency histograms do);
 * - callers of unrelated services get latency and error bumps of their own, with nothing wrong
 *   behind them (retries, a slow client library, a GC pause).
 *
 * The fault, background and simulation draws are the same as the default's for the same seed
 * (the variant's own draws come from forked streams), so a case and its variant are the same
 * incident seen through different choices.
 */
export const GENERATOR_VARIANTS = ['default', 'other-choices'] as const;
export type GeneratorVariant = (typeof GENERATOR_VARIANTS)[number];

/** What a service's metrics do while no process runs. */
export type DownReporting = ServiceEffects['downReporting'];

export function downReportingOf(variant: GeneratorVariant): DownReporting | undefined {
  return variant === 'other-choices' ? 'stale' : undefined;
}

/** Whether datastores expose their own latency metrics. */
export function datastoresReportLatency(variant: GeneratorVariant): boolean {
  return variant === 'other-choices';
}

/** Alert names by what the rule watches; `down` is the rule that says the service is gone. */
export interface AlertNames {
  latency: string;
  errors: string;
  cpu: string;
  memory: string;
  queue: string;
  /** Default: from the scrapes (no scrape, or zeros); other-choices: from a blackbox probe. */
  down: { from: 'scrape'; missing: string; zero: string } | { from: 'probe'; name: string };
}

export const DEFAULT_ALERT_NAMES: AlertNames = {
  latency: 'HighLatencyP99',
  errors: 'HighErrorRate',
  cpu: 'CPUThrottlingHigh',
  memory: 'ContainerMemoryNearLimit',
  queue: 'RabbitmqQueueBacklog',
  down: { from: 'scrape', missing: 'TargetDown', zero: 'KubePodNotReady' },
};

/** Names of the kind hosted monitoring and SLO tooling use, rather than kube-prometheus'. */
export const OTHER_ALERT_NAMES: AlertNames = {
  latency: 'HighLatency',
  errors: 'ElevatedErrorRate',
  cpu: 'CpuSaturation',
  memory: 'MemoryPressure',
  queue: 'QueueDepthHigh',
  down: { from: 'probe', name: 'ServiceUnavailable' },
};

export function alertNamesOf(variant: GeneratorVariant): AlertNames {
  return variant === 'other-choices' ? OTHER_ALERT_NAMES : DEFAULT_ALERT_NAMES;
}

export type CallerNoiseKind = 'caller-latency-bump' | 'caller-error-bump';

export interface CallerNoise {
  kind: CallerNoiseKind;
  service: string;
  startStep: number;
  endStep: number;
  nearFault: boolean;
}

/**
 * 2-4 bumps on services that call something and are unrelated to the fault (neither the root, nor
 * one of its callers, nor the lost dependency), so the label stays unambiguous: the caller's own
 * latency x1.3-2.5 or 1-6% of its requests failing, for 20 s-2.5 min; in 70% of cases the first
 * starts within 60 s of the injection. Its callees are fine; its own callers see it, as they would.
 */
export function addCallerNoise(
  system: SystemSpec,
  effects: CaseEffects,
  excluded: ReadonlySet<string>,
  injectStep: number,
  clock: Clock,
  rng: Rng,
): CallerNoise[] {
  const callers = system.services
    .map((s) => s.name)
    .filter((name) => !excluded.has(name) && system.calls.some((c) => c.from === name));
  if (callers.length === 0) return [];
  const noise: CallerNoise[] = [];
  const count = rng.int(2, 4);
  const nearFirst = rng.chance(0.7);
  for (let i = 0; i < count; i++) {
    const near = i === 0 && nearFirst;
    const startStep = near
      ? injectStep + Math.round((rng.float(-60, 60) * 1000) / clock.stepMs)
      : rng.int(Math.round(clock.steps * 0.1), clock.steps - 6);
    const endStep = Math.min(
      clock.steps,
      startStep + Math.round((rng.float(20, 150) * 1000) / clock.stepMs),
    );
    const service = rng.pick(callers);
    const fx = effectsOf(effects, service);
    const ramp = rng.int(1, 3);
    const latency = rng.chance(0.5);
    if (latency) {
      const factor = rng.float(1.3, 2.5);
      overSteps(startStep, endStep, ramp, (t, w) => (fx.latencyMult[t] *= 1 + w * (factor - 1)));
    } else {
      const share = rng.float(0.01, 0.06);
      overSteps(startStep, endStep, ramp, (t, w) => (fx.errorAdd[t] += w * share));
    }
    const kind = latency ? 'caller-latency-bump' : 'caller-error-bump';
    noise.push({ kind, service, startStep, endStep, nearFault: near });
  }
  return noise;
}
