import type { MetricBatch } from '@vigil/contracts';
import type { AlertRule, Condition, ValueExpr } from './alert-rule';
import { labelsFingerprint } from './alert-fingerprint';
import { type AlertPhase, type AlertState, type AlertTiming, nextPhase } from './alert-state';
import { renderAnnotations } from './annotation-templates';
import {
  type CompiledExpr,
  compileCondition,
  type EvaluationContext,
  type GroupValue,
} from './condition-evaluation';
import { assertValidRules } from './rule-validation';
import { SeriesStore, type SeriesStoreStats } from './series-store';

export interface RuleEvaluatorOptions {
  /**
   * A firing alert is notified again this often (Alertmanager's repeat_interval, Prometheus'
   * resend), so a lost webhook heals on the next one.
   */
  repeatIntervalMs: number;
  /** A resolved alert is re-notified (at the repeat interval) this long, then forgotten. */
  resendResolvedForMs: number;
  /** How much history is kept; by default the longest window the rules read. */
  retentionMs?: number;
  maxSamplesPerSeries: number;
  maxSeries: number;
  /** A series silent this long is forgotten, and an `absent` alert on it resolves. */
  forgetSeriesAfterMs: number;
  /** The link in each alert's generatorURL, e.g. to the rule's definition. */
  generatorURL: (rule: AlertRule) => string;
}

export const defaultRuleEvaluatorOptions: RuleEvaluatorOptions = {
  repeatIntervalMs: 60_000,
  resendResolvedForMs: 5 * 60_000,
  maxSamplesPerSeries: 600,
  maxSeries: 10_000,
  forgetSeriesAfterMs: 60 * 60_000,
  generatorURL: () => '',
};

/** One alert as it stands: what the webhook is built from. Times in epoch milliseconds. */
export interface AlertInstance {
  readonly rule: string;
  readonly fingerprint: string;
  readonly state: Exclude<AlertState, 'inactive'>;
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
  /** The value at the last evaluation the condition held. */
  readonly value: number;
  readonly activeAt: number;
  /** When it fired (when it became pending, while pending). */
  readonly startsAt: number;
  readonly endsAt?: number;
  readonly generatorURL: string;
}

export interface AlertTransition {
  readonly from: AlertState;
  readonly to: AlertState;
  readonly at: number;
  readonly alert: AlertInstance;
}

export interface Evaluation {
  /** Every change of state, pending ones included, in rule order. */
  readonly transitions: AlertTransition[];
  /** Firing and resolved alerts to send now: new ones, and repeats that are due. */
  readonly notifications: AlertInstance[];
}

export interface RuleEvaluatorStats extends SeriesStoreStats {
  pending: number;
  firing: number;
  resolved: number;
}

interface CompiledRule {
  readonly rule: AlertRule;
  readonly condition: CompiledExpr;
  readonly timing: AlertTiming;
  readonly generatorURL: string;
}

interface AlertRecord {
  readonly rule: CompiledRule;
  readonly fingerprint: string;
  readonly labels: Readonly<Record<string, string>>;
  phase: AlertPhase;
  value: number;
  annotations: Record<string, string>;
  lastSentAt?: number;
  sentState?: AlertState;
}

/** This evaluation's verdict on one alert: its labels, and its value if the condition holds. */
interface Observation {
  readonly labels: Readonly<Record<string, string>>;
  readonly group?: GroupValue;
}

/**
 * Prometheus' rule evaluation and the notifying half of Alertmanager over metric batches: feed
 * it batches, call `evaluate` on a tick, send what it returns. No clock and no I/O inside.
 */
export class RuleEvaluator {
  private readonly options: RuleEvaluatorOptions;
  private readonly rules: readonly CompiledRule[];
  private readonly store: SeriesStore;
  /** Rule name → fingerprint → alert; inactive alerts are not kept. */
  private readonly alerts = new Map<string, Map<string, AlertRecord>>();
  private startedAtMs?: number;

  constructor(rules: readonly AlertRule[], options: Partial<RuleEvaluatorOptions> = {}) {
    assertValidRules(rules);
    this.options = { ...defaultRuleEvaluatorOptions, ...options };
    this.rules = rules.map((rule) => compileRule(rule, this.options));
    this.store = new SeriesStore({
      retentionMs: this.options.retentionMs ?? longestWindowOf(rules),
      maxSamplesPerSeries: this.options.maxSamplesPerSeries,
      maxSeries: this.options.maxSeries,
      forgetAfterMs: this.options.forgetSeriesAfterMs,
    });
    for (const rule of rules) this.alerts.set(rule.alert, new Map());
  }

  ingest(batch: MetricBatch): void {
    this.store.ingest(batch);
  }

  /** Evaluates every rule at `nowMs`; call it on a steady tick (a few seconds). */
  evaluate(nowMs: number): Evaluation {
    this.startedAtMs ??= nowMs;
    const context: EvaluationContext = {
      seriesOf: (metric) => this.store.seriesOf(metric),
      nowMs,
      startedAtMs: this.startedAtMs,
    };
    const transitions = this.rules.flatMap((rule) => this.evaluateRule(rule, context));
    const notifications = this.dueNotifications(nowMs);
    this.store.sweep(nowMs);
    return { transitions, notifications };
  }

  /** The pending and firing alerts. */
  activeAlerts(): AlertInstance[] {
    return this.records()
      .filter((record) => record.phase.state !== 'resolved')
      .map(toInstance);
  }

  stats(): RuleEvaluatorStats {
    const count = (state: AlertState) =>
      this.records().filter((record) => record.phase.state === state).length;
    return {
      ...this.store.stats(),
      pending: count('pending'),
      firing: count('firing'),
      resolved: count('resolved'),
    };
  }

  private records(): AlertRecord[] {
    return [...this.alerts.values()].flatMap((records) => [...records.values()]);
  }

  private evaluateRule(rule: CompiledRule, context: EvaluationContext): AlertTransition[] {
    const records = this.recordsOf(rule);
    const observed = new Map<string, Observation>();
    for (const group of rule.condition(context).values()) {
      const labels = alertLabels(rule.rule, group.labels);
      observed.set(labelsFingerprint(labels), { labels, group });
    }
    for (const [fingerprint, record] of records)
      if (!observed.has(fingerprint)) observed.set(fingerprint, { labels: record.labels });
    const transitions: AlertTransition[] = [];
    for (const [fingerprint, observation] of observed) {
      const transition = this.advance(rule, fingerprint, observation, context.nowMs);
      if (transition) transitions.push(transition);
    }
    return transitions;
  }

  /** One alert one evaluation on; the transition if its state changed. */
  private advance(
    rule: CompiledRule,
    fingerprint: string,
    { labels, group }: Observation,
    nowMs: number,
  ): AlertTransition | undefined {
    const records = this.recordsOf(rule);
    const previous = records.get(fingerprint);
    const from: AlertState = previous?.phase.state ?? 'inactive';
    const phase = nextPhase(previous?.phase, group !== undefined, nowMs, rule.timing);
    if (!phase) {
      records.delete(fingerprint);
      return previous && { from, to: 'inactive', at: nowMs, alert: toInstance(previous) };
    }
    const record: AlertRecord = previous ?? {
      rule,
      fingerprint,
      labels,
      phase,
      value: 0,
      annotations: {},
    };
    record.phase = phase;
    if (group) refresh(record, group);
    records.set(fingerprint, record);
    return from === phase.state
      ? undefined
      : { from, to: phase.state, at: nowMs, alert: toInstance(record) };
  }

  private dueNotifications(nowMs: number): AlertInstance[] {
    const due: AlertInstance[] = [];
    for (const records of this.alerts.values()) {
      for (const [fingerprint, record] of records) {
        const { state, resolvedAt } = record.phase;
        if (state === 'pending') continue;
        if (this.isDue(record, nowMs)) {
          record.lastSentAt = nowMs;
          record.sentState = state;
          due.push(toInstance(record));
        }
        if (resolvedAt !== undefined && nowMs - resolvedAt >= this.options.resendResolvedForMs)
          records.delete(fingerprint);
      }
    }
    return due;
  }

  private isDue(record: AlertRecord, nowMs: number): boolean {
    if (record.sentState !== record.phase.state || record.lastSentAt === undefined) return true;
    return nowMs - record.lastSentAt >= this.options.repeatIntervalMs;
  }

  private recordsOf(rule: CompiledRule): Map<string, AlertRecord> {
    const records = this.alerts.get(rule.rule.alert);
    if (!records) throw new Error(`unknown rule ${rule.rule.alert}`);
    return records;
  }
}

function compileRule(rule: AlertRule, options: RuleEvaluatorOptions): CompiledRule {
  return {
    rule,
    condition: compileCondition(rule.expr),
    timing: { for: rule.for, keepFiringFor: rule.keepFiringFor ?? 0 },
    generatorURL: options.generatorURL(rule),
  };
}

/** As Prometheus: the series' group labels, then the rule's labels, then the rule's identity. */
function alertLabels(
  rule: AlertRule,
  groupLabels: Readonly<Record<string, string>>,
): Record<string, string> {
  return { ...groupLabels, ...rule.labels, alertname: rule.alert, severity: rule.severity };
}

/** Value and annotations follow the latest evaluation that held; a cleared alert keeps them. */
function refresh(record: AlertRecord, group: GroupValue): void {
  const { rule } = record.rule;
  record.value = group.value;
  record.annotations = renderAnnotations(rule.annotations, {
    labels: record.labels,
    value: group.value,
    unit: rule.unit,
  });
}

function longestWindow(expr: Condition | ValueExpr): number {
  switch (expr.kind) {
    case 'range':
      return expr.windowMs;
    case 'ratio':
      return Math.max(expr.numerator.windowMs, expr.denominator.windowMs);
    case 'threshold':
      return longestWindow(expr.value);
    case 'absent':
      return 0;
    case 'any':
      return Math.max(0, ...expr.of.map(longestWindow));
  }
}

/** Only what some rule can read is kept. */
function longestWindowOf(rules: readonly AlertRule[]): number {
  return Math.max(0, ...rules.map((rule) => longestWindow(rule.expr)));
}

function toInstance(record: AlertRecord): AlertInstance {
  const { phase } = record;
  return {
    rule: record.rule.rule.alert,
    fingerprint: record.fingerprint,
    state: phase.state,
    labels: record.labels,
    annotations: record.annotations,
    value: record.value,
    activeAt: phase.activeAt,
    startsAt: phase.firedAt ?? phase.activeAt,
    ...(phase.resolvedAt === undefined ? {} : { endsAt: phase.resolvedAt }),
    generatorURL: record.rule.generatorURL,
  };
}
