import type { Alert } from '@vigil/contracts';
import { alertFingerprint } from '@vigil/correlation';
import type { Rng } from './prng';
import { type AlertTemplate, type ValueFn, RESEND_MS } from './rules/common';
import type { SystemModel } from './system-model';

/** One occurrence of an alert as Vigil receives it, with the incident it truly belongs to. */
export interface LabeledAlert {
  alert: Alert;
  /** Ground-truth incident id, unique across the corpus (`<scenario>/<incident>`). */
  truth: string;
}

export interface SeriesOptions {
  /** When the alert starts firing (epoch ms). */
  from: number;
  /** When it resolves; undefined or after the window: still firing when the window closes. */
  to?: number;
  /** startsAt when the alert had been firing long before (certificates, slow disks). */
  startedAt?: number;
  value?: ValueFn;
  resendMs?: number;
}

interface Occurrence extends LabeledAlert {
  at: number;
  seq: number;
}

interface SeriesRecord {
  fingerprint: string;
  service: string;
  truth: string;
  from: number;
  to: number;
}

/**
 * Collects the alert occurrences of one scenario. A series is one alert rule on one target from
 * firing to resolution: it is re-sent at its source's interval with small delivery delays, its
 * value (and so its text) drifts, and it ends with a `resolved` occurrence if it resolves within
 * the scenario's window.
 */
export class ScenarioBuilder {
  private readonly occurrences: Occurrence[] = [];
  private readonly records: SeriesRecord[] = [];
  private seq = 0;

  constructor(
    readonly id: string,
    readonly system: SystemModel,
    readonly rng: Rng,
    /** Window start and end, epoch ms. */
    readonly start: number,
    readonly end: number,
  ) {}

  /** Epoch ms `minutes` after the window start. */
  at(minutes: number): number {
    return this.start + Math.round(minutes * 60_000);
  }

  truth(name: string): string {
    return `${this.id}/${name}`;
  }

  series(template: AlertTemplate, truth: string, options: SeriesOptions): void {
    const fingerprint = alertFingerprint(template.labels);
    const to = options.to ?? Number.POSITIVE_INFINITY;
    if (to <= options.from) return; // resolved before it fired: nothing to send
    this.assertNoOverlap(fingerprint, truth, options.from, to);
    this.records.push({ fingerprint, service: template.service, truth, from: options.from, to });
    const resend = options.resendMs ?? template.resendMs ?? RESEND_MS[template.source];
    const startedAt = options.startedAt ?? options.from;
    const lifetime = Math.max(1, Math.min(to, this.end) - options.from);
    const value = options.value ?? template.value;
    let t = options.from;
    if (t < this.start) t = Number.isFinite(resend) ? this.start + this.rng.float(0, resend) : to;
    let last = 0;
    for (; t < Math.min(to, this.end); t += resend * this.rng.float(0.95, 1.12)) {
      last = value(Math.min(1, (t - options.from) / lifetime), this.rng);
      this.push(template, fingerprint, truth, 'firing', t, startedAt, last);
      if (!Number.isFinite(resend)) break;
    }
    if (to <= this.end && to >= this.start) {
      this.push(template, fingerprint, truth, 'resolved', to, startedAt, last, to);
    }
  }

  /** A rule that fires and resolves over and over (`for: 0` on a noisy signal). */
  flap(
    template: AlertTemplate,
    truth: string,
    from: number,
    to: number,
    onMinutes: [number, number],
    offMinutes: [number, number],
  ): void {
    for (let t = from; t < to; ) {
      const on = this.rng.float(onMinutes[0], onMinutes[1]) * 60_000;
      this.series(template, truth, { from: t, to: Math.min(t + on, to) });
      t += on + this.rng.float(offMinutes[0], offMinutes[1]) * 60_000;
    }
  }

  /**
   * True when another incident already has alerts on `service` within `marginMs` of [from, to]:
   * background noise avoids those, because nobody could tell such a blip from the incident.
   */
  busy(service: string, from: number, to: number, marginMs = 15 * 60_000): boolean {
    return this.records.some(
      (r) => r.service === service && r.from - marginMs < to && from < r.to + marginMs,
    );
  }

  /** True when the same alert (fingerprint) already fires for some incident around that time. */
  clashes(template: AlertTemplate, from: number, to: number): boolean {
    const fingerprint = alertFingerprint(template.labels);
    const margin = 30 * 60_000;
    return this.records.some(
      (r) => r.fingerprint === fingerprint && r.from - margin < to && from < r.to + margin,
    );
  }

  /**
   * One firing alert cannot belong to two incidents: a scenario that makes two incidents raise
   * the very same alert at the same time is a bug in the scenario, not a hard case.
   */
  private assertNoOverlap(fingerprint: string, truth: string, from: number, to: number): void {
    const other = this.records.find(
      (r) => r.fingerprint === fingerprint && r.truth !== truth && r.from < to && from < r.to,
    );
    if (other) {
      throw new Error(
        `${this.id}: alert ${fingerprint} of ${truth} overlaps the same alert of ${other.truth}`,
      );
    }
  }

  build(): LabeledAlert[] {
    return [...this.occurrences]
      .sort((a, b) => a.at - b.at || a.seq - b.seq)
      .map(({ alert, truth }) => ({ alert, truth }));
  }

  private push(
    template: AlertTemplate,
    fingerprint: string,
    truth: string,
    status: 'firing' | 'resolved',
    at: number,
    startedAt: number,
    value: number,
    endsAt?: number,
  ): void {
    // evaluation, batching and the network: alerts arrive a little after the moment they describe
    const received = Math.min(this.end - 1, at + this.rng.int(300, 4_000));
    const context = { value, at: received, startedAt };
    const summary = template.summary(context);
    const description = template.description(context);
    const alert: Alert = {
      schemaVersion: 1,
      fingerprint,
      source: template.source,
      status,
      alertname: template.alertname,
      severity: template.severity,
      service: template.service,
      summary,
      description,
      labels: { ...template.labels },
      annotations: { ...(template.annotations ?? {}), summary, description },
      startsAt: new Date(startedAt).toISOString(),
      ...(endsAt !== undefined ? { endsAt: new Date(endsAt).toISOString() } : {}),
      receivedAt: new Date(received).toISOString(),
      ...(template.generatorUrl ? { generatorUrl: template.generatorUrl } : {}),
    };
    this.occurrences.push({ alert, truth, at: received, seq: this.seq++ });
  }
}
