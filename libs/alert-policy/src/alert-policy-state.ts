import type {
  Alert,
  AlertPolicyEvent,
  InhibitionRule,
  MaintenanceWindow,
  Silence,
} from '@vigil/contracts';
import { allMatch, checkMatcher, MatcherError } from './label-matchers';
import { checkMaintenanceWindow, windowActive, windowOver } from './maintenance-windows';
import { PolicyError } from './policy-error';
import { checkSilence } from './silences';

type Labels = Readonly<Record<string, string>>;

export interface AlertPolicyOptions {
  /**
   * How long a firing alert without `endsAt` still inhibits others after it was last seen: a
   * source that stopped without a resolve must not mute its targets for ever. Alertmanager's
   * `resolve_timeout` plays this part there; a correlator passes its own resolve timeout.
   */
  sourceMaxAgeMs?: number;
  /** Firing alerts remembered at most for inhibition; the oldest go first. */
  maxFiring?: number;
}

const defaults = { sourceMaxAgeMs: 60 * 60_000, maxFiring: 100_000 };

/** A maintenance window and, once someone expired it, when. */
export interface WindowEntry {
  window: MaintenanceWindow;
  expiredAt?: number;
}

/** On now, waiting for its next (or first) occurrence, or over for good (ended or expired). */
export function windowState(entry: WindowEntry, now: number): 'active' | 'scheduled' | 'expired' {
  if ((entry.expiredAt !== undefined && now >= entry.expiredAt) || windowOver(entry.window, now))
    return 'expired';
  return windowActive(entry.window, now) ? 'active' : 'scheduled';
}

interface FiringEntry {
  labels: Labels;
  /** After this instant (ms) it no longer counts as firing. */
  until: number;
}

/** The labels matchers are evaluated on: the alert's labels, with its normalized fields as defaults. */
export function alertLabels(
  alert: Pick<Alert, 'labels' | 'alertname' | 'service' | 'severity'>,
): Labels {
  return {
    alertname: alert.alertname,
    service: alert.service,
    severity: alert.severity,
    ...alert.labels,
  };
}

/**
 * Silences, maintenance windows and inhibition rules as their events left them, plus the firing
 * alerts that may inhibit others. Plain data: the caller feeds it events and alerts, with times.
 */
export class AlertPolicyState {
  readonly silences = new Map<string, Silence>();
  readonly windows = new Map<string, WindowEntry>();
  private rules: InhibitionRule[] = [];
  private readonly firing = new Map<string, FiringEntry>();
  /** Per rule: the firing sources by their `equal` labels, so a lookup is one map read. */
  private sourceIndex: Array<Map<string, Set<string>>> = [];
  private readonly options: typeof defaults;

  constructor(options: AlertPolicyOptions = {}) {
    this.options = {
      sourceMaxAgeMs: options.sourceMaxAgeMs ?? defaults.sourceMaxAgeMs,
      maxFiring: options.maxFiring ?? defaults.maxFiring,
    };
  }

  get inhibitionRules(): readonly InhibitionRule[] {
    return this.rules;
  }

  /**
   * Takes in one change. Applying the same events again in order gives the same state, so
   * redelivery is harmless. Returns why an event was refused (a regex that does not compile,
   * say), or undefined when it was applied.
   */
  apply(event: AlertPolicyEvent): string | undefined {
    try {
      this.applyChecked(event);
      return undefined;
    } catch (error) {
      if (error instanceof PolicyError || error instanceof MatcherError) return error.message;
      throw error;
    }
  }

  private applyChecked(event: AlertPolicyEvent): void {
    const at = Date.parse(event.at);
    switch (event.type) {
      case 'silence.created':
      case 'silence.updated':
        this.silences.set(event.silence.id, checkSilence(event.silence));
        return;
      case 'silence.expired': {
        const silence = this.silences.get(event.silenceId);
        if (!silence) throw new PolicyError(`no silence ${event.silenceId}`);
        // expiring ends it now; it stays listed as ended, as in Alertmanager
        if (Date.parse(silence.endsAt) > at)
          this.silences.set(silence.id, { ...silence, endsAt: event.at });
        return;
      }
      case 'maintenance.created':
      case 'maintenance.updated':
        this.windows.set(event.window.id, { window: checkMaintenanceWindow(event.window) });
        return;
      case 'maintenance.expired': {
        const entry = this.windows.get(event.windowId);
        if (!entry) throw new PolicyError(`no maintenance window ${event.windowId}`);
        if (entry.expiredAt === undefined || entry.expiredAt > at) entry.expiredAt = at;
        return;
      }
      case 'inhibition.replaced':
        for (const rule of event.rules)
          [...rule.sourceMatchers, ...rule.targetMatchers].forEach(checkMatcher);
        this.rules = event.rules;
        this.rebuildSourceIndex();
        return;
    }
  }

  /**
   * Forgets silences and windows over for good before `before` (ms): a judge that runs for months
   * need not look at every silence ever made. The topic keeps them for the record.
   */
  forgetEnded(before: number): void {
    for (const [id, silence] of this.silences)
      if (Date.parse(silence.endsAt) < before) this.silences.delete(id);
    for (const [id, entry] of this.windows)
      if (windowState(entry, before) === 'expired') this.windows.delete(id);
  }

  /** Notes a firing or resolved alert: firing ones may inhibit others while they last. */
  observe(
    alert: Pick<
      Alert,
      'fingerprint' | 'status' | 'labels' | 'alertname' | 'service' | 'severity' | 'endsAt'
    >,
    now: number,
  ): void {
    this.forget(alert.fingerprint);
    // a max age late: an alert judged out of order (another partition's, a replay's) within it
    // still sees the sources the first judgement saw
    this.forgetExpiredBefore(now - this.options.sourceMaxAgeMs);
    if (alert.status !== 'firing') return;
    const endsAt = alert.endsAt ? Date.parse(alert.endsAt) : Number.NaN;
    const until = Number.isNaN(endsAt) ? now + this.options.sourceMaxAgeMs : endsAt;
    if (until <= now) return;
    const entry: FiringEntry = { labels: alertLabels(alert), until };
    this.firing.set(alert.fingerprint, entry);
    this.indexSource(alert.fingerprint, entry);
    if (this.firing.size > this.options.maxFiring) {
      const oldest = this.firing.keys().next().value;
      if (oldest !== undefined) this.forget(oldest);
    }
  }

  /** Firing alerts remembered as possible inhibition sources. */
  get firingSources(): number {
    return this.firing.size;
  }

  /** Firing sources (fingerprints) that inhibit an alert with these labels at `now`. */
  inhibitorsOf(fingerprint: string, labels: Labels, now: number): string[] {
    const found: string[] = [];
    this.rules.forEach((rule, i) => {
      if (!allMatch(rule.targetMatchers, labels)) return;
      for (const source of this.sourceIndex[i]?.get(equalKey(rule, labels)) ?? []) {
        const entry = this.firing.get(source);
        if (source !== fingerprint && entry && entry.until > now) found.push(source);
      }
    });
    return [...new Set(found)];
  }

  /**
   * Drops sources whose time was up before `cut`, from the least recently seen on (the map is in
   * that order, as each sighting re-inserts its alert): a stream of alerts that stop without a
   * resolve would otherwise be kept until maxFiring. One whose `endsAt` comes before an older
   * one's time is up stays until that one goes; it is never judged a source once its time is up.
   */
  private forgetExpiredBefore(cut: number): void {
    for (const [fingerprint, entry] of this.firing) {
      if (entry.until > cut) return;
      this.forget(fingerprint);
    }
  }

  private forget(fingerprint: string): void {
    const entry = this.firing.get(fingerprint);
    if (!entry) return;
    this.firing.delete(fingerprint);
    this.rules.forEach((rule, i) => {
      const key = equalKey(rule, entry.labels);
      const set = this.sourceIndex[i]?.get(key);
      set?.delete(fingerprint);
      if (set?.size === 0) this.sourceIndex[i]?.delete(key);
    });
  }

  private indexSource(fingerprint: string, entry: FiringEntry): void {
    this.rules.forEach((rule, i) => {
      if (!allMatch(rule.sourceMatchers, entry.labels)) return;
      const index = this.sourceIndex[i] ?? new Map<string, Set<string>>();
      this.sourceIndex[i] = index;
      const key = equalKey(rule, entry.labels);
      const set = index.get(key) ?? new Set<string>();
      index.set(key, set.add(fingerprint));
    });
  }

  private rebuildSourceIndex(): void {
    this.sourceIndex = this.rules.map(() => new Map());
    for (const [fingerprint, entry] of this.firing) this.indexSource(fingerprint, entry);
  }
}

function equalKey(rule: InhibitionRule, labels: Labels): string {
  return JSON.stringify(rule.equal.map((name) => labels[name] ?? ''));
}
