import { createHash } from 'node:crypto';
import type { Alert, AttachReason, IncidentEndReason, IncidentEvent } from '@vigil/contracts';
import { alertDeadline, isChronic, noteTransition, refire } from './alert-lifecycle';
import type { CorrelationConfig } from './correlation-config';
import { alertHost, correlationScope } from './correlation-scope';
import { alertKind, type FeedbackAdvisor, type LearnedPair } from './feedback-memory';
import { splitIncidentState, type PeopleSplit } from './feedback-split';
import { incidentTitle } from './incident-title';
import {
  worseSeverity,
  type Exemplar,
  type CorrelatorState,
  type IncidentState,
  type TrackedAlert,
} from './incident-state';
import type { ServiceGraph } from './service-graph';
import { symptomMargin, type SymptomPrototypes } from './symptom-prototypes';
import { cosine } from './vector-math';

export interface CorrelationOutcome {
  incidentId: string;
  events: IncidentEvent[];
}

interface Candidate {
  incident: IncidentState;
  reason: AttachReason;
  score: number;
  /** Related by where the alert is (same service, dependency, host), not only by its words. */
  structural: boolean;
}

/**
 * Online alert correlation over plain data: deduplication by fingerprint, joining by topology
 * (same service, dependency neighbours, shared host) and by meaning (embedding similarity among
 * related services), incident merging and resolution. Deterministic for the same input order, so a
 * restarted correlator that replays its input reproduces the same incidents and event ids.
 */
export class IncidentCorrelator {
  private clock = 0;
  private processed = 0;
  private readonly incidents = new Map<string, IncidentState>();
  private readonly alerts = new Map<string, TrackedAlert>();
  /** No alert deadline or incident maximum age falls before this: `expire` has nothing to do. */
  private nextDeadline = Infinity;
  /** What people taught by merging and splitting incidents (none: the rules alone decide). */
  private feedback?: FeedbackAdvisor;

  constructor(
    private readonly config: CorrelationConfig,
    private graph: ServiceGraph,
    private readonly prototypes: SymptomPrototypes = { symptoms: [], localConditions: [] },
    state?: CorrelatorState,
  ) {
    if (state) this.load(state);
  }

  /** Topology changes apply from the next alert on; decisions already made stay as they were. */
  useTopology(graph: ServiceGraph): void {
    this.graph = graph;
  }

  /** People's corrections apply from the next alert on, as topology changes do. */
  useFeedback(advisor: FeedbackAdvisor | undefined): void {
    this.feedback = advisor;
  }

  /**
   * People merged `absorbedId` into `survivorId`: its alerts move there whatever the rules said.
   * Nothing happens when either is unknown here (another scope, forgotten) or they are already one.
   */
  mergeByPeople(survivorId: string, absorbedId: string): IncidentEvent[] {
    const survivor = this.incidents.get(this.canonicalIncident(survivorId));
    const absorbed = this.incidents.get(this.canonicalIncident(absorbedId));
    if (!survivor || !absorbed || survivor === absorbed) return [];
    return this.merge(survivor, absorbed, true);
  }

  /**
   * People split alerts out of an incident into a new one (`split.newIncidentId`). Nothing
   * happens when the new incident exists already (applied before), the incident is unknown here,
   * or the split would move none or all of the alerts still in it.
   */
  splitByPeople(split: PeopleSplit): IncidentEvent[] {
    if (this.incidents.has(split.newIncidentId)) return [];
    const source = this.incidents.get(this.canonicalIncident(split.incidentId));
    if (!source || source.mergedInto) return [];
    const made = splitIncidentState(source, split, this.alerts, this.clock, (id) =>
      this.canonicalIncident(id),
    );
    if (!made) return [];
    this.incidents.set(made.id, made);
    for (const service of made.services)
      for (const host of this.graph.hosts(service))
        if (!made.hosts.includes(host)) made.hosts.push(host);
    const reason: AttachReason = {
      kind: 'split-by-people',
      fromIncidentId: source.id,
      feedbackId: split.feedbackId,
    };
    const events = made.fingerprints.map((fingerprint, i) => {
      const event = this.event(made, i === 0 ? 'opened' : 'alert-attached', undefined, reason);
      if (event.type === 'opened' || event.type === 'alert-attached')
        event.fingerprint = fingerprint;
      return event;
    });
    if (source.firing === 0 && source.status === 'open') {
      source.status = 'resolved';
      events.push(this.event(source, 'resolved', undefined, undefined, { endReason: 'resolved' }));
    }
    return events;
  }

  /** True when `process` needs the alert's embedding: a fingerprint not in a live incident. */
  needsEmbedding(alert: Alert): boolean {
    if (alert.status === 'resolved') return false;
    const tracked = this.alerts.get(alert.fingerprint);
    // judged at the alert's arrival, as `process` will judge it
    const arrival = Math.max(this.clock, Date.parse(alert.receivedAt) || 0);
    return !tracked || !this.continues(tracked, arrival);
  }

  /**
   * Like `needsEmbedding`, also counting what `expire` up to the alert's arrival may end first: its
   * own deadline or its incident's maximum age. For embedding a batch ahead of expiring within it.
   */
  mayNeedEmbedding(alert: Alert): boolean {
    if (this.needsEmbedding(alert)) return true;
    const tracked = this.alerts.get(alert.fingerprint);
    const arrival = Date.parse(alert.receivedAt);
    if (!tracked || !(arrival >= this.nextDeadline)) return false;
    const incident = this.incidents.get(this.canonicalIncident(tracked.incidentId));
    const aged = !!incident && arrival >= incident.openedAt + this.config.incidentMaxAgeMs;
    return aged || (tracked.status === 'firing' && (tracked.expiresAt ?? Infinity) <= arrival);
  }

  /**
   * Ends, in time order up to `now`, what ends by time alone: firing alerts not sent again by their
   * deadline (own `endsAt` or resolve timeout), and incidents at their maximum age. The time is
   * passed in, so a replay or a restored correlator ends the same alerts at the same times.
   */
  expire(now: number): IncidentEvent[] {
    // Strictly after a deadline: a re-send or resolve arriving right at it still counts.
    if (now <= this.nextDeadline) return [];
    const due: Array<{ at: number; alert?: TrackedAlert; incident?: IncidentState }> = [];
    let next = Infinity;
    for (const tracked of this.alerts.values()) {
      if (tracked.status !== 'firing' || tracked.expiresAt === undefined) continue;
      if (tracked.expiresAt < now) due.push({ at: tracked.expiresAt, alert: tracked });
      else next = Math.min(next, tracked.expiresAt);
    }
    for (const incident of this.openIncidents()) {
      const end = incident.openedAt + this.config.incidentMaxAgeMs;
      if (end < now) due.push({ at: end, incident });
      else next = Math.min(next, end);
    }
    due.sort((a, b) => a.at - b.at);
    const events: IncidentEvent[] = [];
    for (const item of due) {
      this.clock = Math.max(this.clock, item.at);
      if (item.alert) events.push(...this.end(item.alert, item.alert.expiry ?? 'resolve-timeout'));
      else if (item.incident) events.push(...this.close(item.incident));
    }
    this.nextDeadline = next;
    return events;
  }

  process(alert: Alert, embedding?: Float32Array): CorrelationOutcome {
    this.clock = Math.max(this.clock, Date.parse(alert.receivedAt));
    if (++this.processed % 5_000 === 0) this.prune();
    const tracked = this.alerts.get(alert.fingerprint);
    if (alert.status === 'resolved') return this.resolve(tracked);
    if (tracked && this.continues(tracked)) return this.repeat(alert, tracked);
    if (!embedding)
      throw new Error(`alert ${alert.fingerprint} needs its embedding (see needsEmbedding)`);
    if (tracked && this.reattachable(tracked))
      return this.place(alert, embedding, true) ?? this.repeat(alert, tracked);
    return (
      this.place(alert, embedding) ??
      this.open(alert, correlationScope(alert, this.config.scopeLabels), embedding)
    );
  }

  /** The correlator's time: the latest arrival (or expiry) it has seen. */
  time(): number {
    return this.clock;
  }

  /** The incident an incident was merged into, followed to the end. */
  canonicalIncident(id: string): string {
    let current = this.incidents.get(id);
    while (current?.mergedInto) current = this.incidents.get(current.mergedInto);
    return current?.id ?? id;
  }

  snapshot(): CorrelatorState {
    this.prune();
    return {
      clock: this.clock,
      incidents: [...this.incidents.values()].map((i) => ({
        ...i,
        exemplars: [...i.exemplars],
        serviceStarts: { ...i.serviceStarts },
        ...(i.kinds && { kinds: [...i.kinds] }),
      })),
      alerts: [...this.alerts.values()].map((a) => ({
        ...a,
        ...(a.transitions && { transitions: [...a.transitions] }),
      })),
    };
  }

  openIncidents(): IncidentState[] {
    return [...this.incidents.values()].filter((i) => i.status === 'open' && !i.mergedInto);
  }

  private load(state: CorrelatorState): void {
    this.clock = state.clock;
    for (const incident of state.incidents) {
      // Snapshots written before these fields existed still load.
      this.incidents.set(incident.id, {
        ...incident,
        failingHosts: incident.failingHosts ?? [...incident.alertingHosts],
        serviceStarts: incident.serviceStarts ?? {},
      });
    }
    for (const alert of state.alerts) {
      // Alerts from snapshots written before expiry existed end after the default timeout.
      const legacy = alert.status === 'firing' && alert.expiresAt === undefined;
      this.alerts.set(alert.fingerprint, {
        ...alert,
        ...(legacy && {
          expiresAt: alert.lastSeen + this.config.resolveTimeoutMs,
          expiry: 'resolve-timeout' as const,
        }),
      });
    }
    this.nextDeadline = -Infinity;
  }

  /**
   * A fingerprint still firing continues its incident (Alertmanager re-sends for hours), and so
   * does one that flaps while its incident is still open.
   */
  private continues(tracked: TrackedAlert, now = this.clock): boolean {
    const incident = this.incidents.get(this.canonicalIncident(tracked.incidentId));
    if (!incident || this.aged(incident, now)) return false;
    if (tracked.status === 'firing') return true;
    // Back while its incident is open: flapping if it ended lately; if it ended long ago (other
    // alerts kept the incident open), it is new trouble and is placed like a new alert.
    const quiet = now - (tracked.endedAt ?? tracked.lastSeen);
    return incident.status === 'open' && quiet <= this.config.windowMs;
  }

  /** At its maximum age an incident takes nothing more: what fires after starts a new episode. */
  private aged(incident: IncidentState, now = this.clock): boolean {
    return now - incident.openedAt >= this.config.incidentMaxAgeMs;
  }

  /**
   * One that fires again after its incident resolved may reopen it within the window (a flapping
   * rule), unless an open incident claims it first: a symptom shared by many faults (the
   * frontend's errors) belongs to the fault happening now, not to the last one it went with.
   */
  private reattachable(tracked: TrackedAlert): boolean {
    const incident = this.incidents.get(this.canonicalIncident(tracked.incidentId));
    if (!incident || this.aged(incident)) return false;
    return tracked.status === 'firing' || this.recent(incident) || this.lateResend(tracked);
  }

  /**
   * Ended by time, not by a resolve, and back within the window: a re-send that came late (an
   * irregular source), not new trouble, so it goes back to its incident.
   */
  private lateResend(tracked: TrackedAlert): boolean {
    const byTime = tracked.endedBy === 'expired' || tracked.endedBy === 'resolve-timeout';
    return byTime && this.clock - (tracked.endedAt ?? tracked.lastSeen) <= this.config.windowMs;
  }

  /** Open, or resolved so lately that what fires now may still be the same trouble. */
  private recent(incident: IncidentState): boolean {
    const since = this.clock - incident.updatedAt;
    return incident.status === 'open'
      ? since <= this.config.windowMs
      : since <= Math.min(this.config.windowMs, this.config.reopenWindowMs);
  }

  private repeat(alert: Alert, tracked: TrackedAlert): CorrelationOutcome {
    const incident = this.mustGet(this.canonicalIncident(tracked.incidentId));
    tracked.incidentId = incident.id;
    tracked.occurrences++;
    if (tracked.status === 'resolved') refire(tracked, this.clock, this.config);
    tracked.lastSeen = this.clock;
    this.setDeadline(tracked, alert);
    incident.occurrences++;
    incident.updatedAt = this.clock;
    incident.severity = worseSeverity(incident.severity, alert.severity);
    if (tracked.status === 'firing') return { incidentId: incident.id, events: [] };
    // A resolved alert firing again (flapping) belongs to the same incident, which reopens.
    tracked.status = 'firing';
    noteTransition(tracked, this.clock, this.config);
    incident.firing++;
    incident.status = 'open';
    this.nextDeadline = Math.min(
      this.nextDeadline,
      incident.openedAt + this.config.incidentMaxAgeMs,
    );
    return {
      incidentId: incident.id,
      events: [
        this.event(
          incident,
          'alert-attached',
          alert,
          { kind: 'same-fingerprint' },
          {
            flapping: tracked.flapping,
          },
        ),
      ],
    };
  }

  private setDeadline(tracked: TrackedAlert, alert: Alert): void {
    Object.assign(tracked, alertDeadline(alert, this.clock, this.config));
    this.nextDeadline = Math.min(this.nextDeadline, tracked.expiresAt ?? Infinity);
  }

  private resolve(tracked: TrackedAlert | undefined): CorrelationOutcome {
    if (!tracked) return { incidentId: '', events: [] };
    const incident = this.mustGet(this.canonicalIncident(tracked.incidentId));
    tracked.lastSeen = this.clock;
    incident.updatedAt = this.clock;
    return { incidentId: incident.id, events: this.end(tracked, 'resolved') };
  }

  /** A firing alert stops (resolved, or expired by time); its incident resolves with its last alert. */
  private end(tracked: TrackedAlert, reason: IncidentEndReason): IncidentEvent[] {
    if (tracked.status === 'resolved') return [];
    const incident = this.mustGet(this.canonicalIncident(tracked.incidentId));
    tracked.status = 'resolved';
    tracked.expiresAt = undefined;
    tracked.expiry = undefined;
    tracked.endedAt = this.clock;
    tracked.endedBy = reason;
    noteTransition(tracked, this.clock, this.config);
    incident.updatedAt = this.clock;
    incident.firing = Math.max(0, incident.firing - 1);
    if (incident.firing > 0 || incident.status === 'resolved') return [];
    incident.status = 'resolved';
    return [this.event(incident, 'resolved', undefined, undefined, { endReason: reason })];
  }

  /** An incident at its maximum age resolves with whatever still fires in it. */
  private close(incident: IncidentState): IncidentEvent[] {
    if (incident.status !== 'open' || incident.mergedInto) return [];
    for (const fingerprint of incident.fingerprints) {
      const tracked = this.alerts.get(fingerprint);
      if (tracked?.status !== 'firing') continue;
      if (this.canonicalIncident(tracked.incidentId) !== incident.id) continue;
      tracked.status = 'resolved';
      tracked.expiresAt = undefined;
      tracked.expiry = undefined;
      tracked.endedAt = this.clock;
      tracked.endedBy = 'max-age';
    }
    incident.firing = 0;
    incident.status = 'resolved';
    incident.updatedAt = this.clock;
    return [this.event(incident, 'resolved', undefined, undefined, { endReason: 'max-age' })];
  }

  /** Into the best related incident (`openOnly`: one still open), or undefined if none relates. */
  private place(
    alert: Alert,
    embedding: Float32Array,
    openOnly = false,
  ): CorrelationOutcome | undefined {
    const scope = correlationScope(alert, this.config.scopeLabels);
    const candidates = this.candidates(alert, scope, embedding)
      .filter((c) => !openOnly || c.incident.status === 'open')
      .sort((a, b) => b.score - a.score);
    const best = candidates[0];
    if (!best) return undefined;
    const events = [this.attach(best.incident, alert, embedding, best.reason)];
    for (const other of candidates.slice(1)) {
      if (best.structural && other.structural && this.closeEnoughToMerge(other)) {
        if (this.keptApartByPeople(best.incident, other.incident)) continue;
        events.push(...this.merge(best.incident, other.incident));
      }
    }
    return { incidentId: best.incident.id, events };
  }

  private candidates(alert: Alert, scope: string, embedding: Float32Array): Candidate[] {
    const found: Candidate[] = [];
    const symptomatic = this.symptomScore(embedding) >= this.config.symptomThreshold;
    const kind = alertKind(alert);
    for (const incident of this.incidents.values()) {
      if (incident.scope !== scope || incident.mergedInto || this.aged(incident)) continue;
      if (incident.status !== 'open' && !this.recent(incident)) continue;
      if (this.separated(alert, incident)) continue;
      const learned = this.feedback?.relation(kind, incident.kinds ?? []);
      // people split this kind away from one in the incident: the rules do not overrule them
      if (learned?.relation === 'apart') continue;
      const candidate =
        this.relate(alert, incident, embedding, symptomatic) ??
        (learned && this.learnedJoin(alert, incident, learned));
      if (candidate) found.push(candidate);
    }
    return found;
  }

  /**
   * People merged this alert's kind with one of the incident's before: it joins an open incident
   * that took a new alert lately, even with no evidence the rules see.
   */
  private learnedJoin(
    alert: Alert,
    incident: IncidentState,
    learned: LearnedPair,
  ): Candidate | undefined {
    if (incident.status !== 'open') return undefined;
    if (Math.abs(this.alertStart(alert) - incident.lastJoinAt) > this.config.relatedStartGapMs)
      return undefined;
    return {
      incident,
      structural: false,
      score: 2.75,
      reason: { kind: 'learned-from-people', kinds: learned.kinds, feedbackId: learned.feedbackId },
    };
  }

  /**
   * Why an alert could belong to an incident. Structural reasons (same service, a dependency, the
   * host) need the alert to start close to the incident's onset, and, beyond the same service, to
   * read like a propagated symptom: a cascade starts together, a neighbour's unrelated trouble
   * does not. Text alone joins only symptoms that say nearly the same thing at the same time.
   */
  private relate(
    alert: Alert,
    incident: IncidentState,
    embedding: Float32Array,
    symptom: boolean,
  ): Candidate | undefined {
    const cfg = this.config;
    const start = this.alertStart(alert);
    const gap = Math.abs(start - incident.onset);
    const known = alert.service !== 'unknown';
    const inIncident = known && incident.services.includes(alert.service);
    const distance = known ? this.dependencyDistance(alert.service, incident.services) : undefined;
    const host = this.sharedHost(alert, incident);
    // Most incidents of a storm are nowhere near the alert: skip them before any vector maths.
    if (!inIncident && !distance && !host && gap > cfg.relatedStartGapMs) return undefined;
    // An incident that only chronic or flapping alerts keep open is no evidence by itself: its
    // services are those still firing, being there lately is not enough, and text counts only
    // when it reads like what the alert's own service or host said (not the chronic alert
    // elsewhere).
    const fresh = !((inIncident || !!host) && this.heldOnlyByChronic(incident));
    const sameService = inIncident && (fresh || this.firingServices(incident).has(alert.service));
    const recent =
      gap <= cfg.relatedStartGapMs ||
      (cfg.neighbourFrontier && known && this.nearFrontier(alert, start, incident));
    const similar = this.similarities(alert, incident, embedding);
    const textual = (fresh ? similar.score : similar.sameEntity) >= cfg.textSimilarityThreshold;
    const related = similar.sameEntity >= cfg.sameEntityTextThreshold;
    const textReason: AttachReason = {
      kind: 'similar-text',
      score: round(similar.score),
      similarTo: similar.fingerprint,
    };

    if (
      sameService &&
      (textual ||
        related ||
        (fresh && gap <= cfg.sameServiceGapMs) ||
        (fresh && cfg.sameServiceWhileOpen && incident.status === 'open'))
    ) {
      return {
        incident,
        structural: true,
        score: 3 + similar.score,
        reason: textual ? textReason : hops(0, [alert.service]),
      };
    }
    // A direct user of a failing component is affected whatever its alert says; further up, only
    // what reads like a propagated symptom.
    const direct = distance?.hops === 1 && cfg.directUserAnyAlert;
    if (distance && recent && (direct || symptom || textual)) {
      return {
        incident,
        structural: true,
        score: 2.5 - 0.2 * distance.hops + similar.score,
        reason: hops(distance.hops, distance.via),
      };
    }
    if (host && this.hostExplains(alert, incident, host, recent, symptom, textual || related)) {
      return {
        incident,
        structural: true,
        score: 2 + similar.score,
        reason: hops(1, [alert.service, host]),
      };
    }
    // Text alone is a shared cause only while the trouble lasts: a resolved incident is reopened
    // by its own alerts, its services or their neighbours, never by another service's alert that
    // reads alike ("payment is down" after "cache is down" ended is new trouble).
    if (incident.status === 'open' && recent && symptom && similar.score >= cfg.textOnlyThreshold) {
      return { incident, structural: false, score: 1 + similar.score, reason: textReason };
    }
    return undefined;
  }

  /** Every alert still firing in the incident is chronic or flapping (and at least one fires). */
  private heldOnlyByChronic(incident: IncidentState): boolean {
    if (incident.status !== 'open') return false;
    let held = false;
    for (const fingerprint of incident.fingerprints) {
      const tracked = this.alerts.get(fingerprint);
      if (tracked?.status !== 'firing') continue;
      if (this.canonicalIncident(tracked.incidentId) !== incident.id) continue;
      if (!isChronic(tracked, this.clock, this.config)) return false;
      held = true;
    }
    return held;
  }

  /** Services of the alerts still firing in the incident. */
  private firingServices(incident: IncidentState): Set<string> {
    const services = new Set<string>();
    for (const fingerprint of incident.fingerprints) {
      const tracked = this.alerts.get(fingerprint);
      if (tracked?.status !== 'firing' || tracked.service === undefined) continue;
      if (this.canonicalIncident(tracked.incidentId) === incident.id) services.add(tracked.service);
    }
    return services;
  }

  /** People split kinds of one incident away from kinds of the other: they do not merge. */
  private keptApartByPeople(a: IncidentState, b: IncidentState): boolean {
    return !!this.feedback?.keptApart(a.kinds ?? [], b.kinds ?? []);
  }

  /** Only a close relation (same service or a direct dependency) is evidence enough to merge. */
  private closeEnoughToMerge(candidate: Candidate): boolean {
    const { reason } = candidate;
    return reason.kind !== 'topology-neighbour' || reason.hops <= this.config.mergeMaxHops;
  }

  /** Different values of a separating label (another cluster) keep an alert out of an incident. */
  private separated(alert: Alert, incident: IncidentState): boolean {
    for (const label of this.config.separatingLabels) {
      const value = alert.labels[label];
      const seen = incident.separators[label];
      if (value && seen && seen.length > 0 && !seen.includes(value)) return true;
    }
    return false;
  }

  /** A host's own alert and the troubles of what runs on it go together around the same time. */
  private hostExplains(
    alert: Alert,
    incident: IncidentState,
    host: string,
    recent: boolean,
    symptomatic: boolean,
    textual: boolean,
  ): boolean {
    const hostAlerting = incident.alertingHosts.includes(host);
    if (this.isHostAlert(alert, host))
      return (hostAlerting && (recent || textual)) || (recent && textual);
    const hostFailing = this.config.hostFailureOnly
      ? incident.failingHosts.includes(host)
      : hostAlerting;
    return (hostFailing && recent && symptomatic) || (hostAlerting && textual);
  }

  /** Whether the alert starts close to the latest new alert on its own or a neighbouring service or host. */
  private nearFrontier(alert: Alert, start: number, incident: IncidentState): boolean {
    const hosts = this.alertHosts(alert);
    for (const [service, latest] of Object.entries(incident.serviceStarts)) {
      if (Math.abs(start - latest) > this.config.relatedStartGapMs) continue;
      if (service === alert.service || hosts.has(service)) return true;
      if (this.graph.dependencyDistance(alert.service, service) === 1) return true;
    }
    return false;
  }

  private symptomScore(embedding: Float32Array): number {
    return symptomMargin(embedding, this.prototypes, cosine);
  }

  /** When the problem began, as the source says; never later than now. */
  private alertStart(alert: Alert): number {
    if (this.config.onsetFrom === 'received') return this.clock;
    const start = Date.parse(alert.startsAt);
    return Number.isFinite(start) ? Math.min(start, this.clock) : this.clock;
  }

  /**
   * In one pass over the incident's exemplars: the most similar alert, and the best similarity
   * among those on the alert's own service or host.
   */
  private similarities(
    alert: Alert,
    incident: IncidentState,
    embedding: Float32Array,
  ): { score: number; fingerprint: string; sameEntity: number } {
    const hosts = this.alertHosts(alert);
    const best = { score: -1, fingerprint: '', sameEntity: -1 };
    for (const exemplar of incident.exemplars) {
      const score = cosine(embedding, exemplar.vector);
      if (score > best.score) {
        best.score = score;
        best.fingerprint = exemplar.fingerprint;
      }
      const service = exemplar.service;
      if (service !== undefined && (service === alert.service || hosts.has(service)))
        best.sameEntity = Math.max(best.sameEntity, score);
    }
    return best;
  }

  private dependencyDistance(
    service: string,
    services: string[],
  ): { hops: number; via: string[] } | undefined {
    let best: { hops: number; via: string[] } | undefined;
    for (const other of services) {
      const distance = this.graph.dependencyDistance(service, other);
      if (distance !== undefined && distance > 0 && (!best || distance < best.hops)) {
        best = { hops: distance, via: [service, other] };
      }
    }
    return best;
  }

  private alertHosts(alert: Alert): Set<string> {
    const hosts = new Set(this.graph.hosts(alert.service));
    const labelled = alertHost(alert, this.config.hostLabels);
    if (labelled) hosts.add(labelled);
    return hosts;
  }

  private sharedHost(alert: Alert, incident: IncidentState): string | undefined {
    for (const host of this.alertHosts(alert)) if (incident.hosts.includes(host)) return host;
    return undefined;
  }

  /** An alert about the host itself (node down, disk of the node) explains everything on it. */
  private isHostAlert(alert: Alert, host: string): boolean {
    return alert.service === host || alertHost(alert, this.config.hostLabels) === host;
  }

  private open(alert: Alert, scope: string, embedding: Float32Array): CorrelationOutcome {
    const id = `inc-${createHash('sha256').update(`${scope}|${alert.fingerprint}|${this.clock}`).digest('hex').slice(0, 16)}`;
    const incident: IncidentState = {
      id,
      scope,
      title: incidentTitle(alert),
      severity: alert.severity,
      status: 'open',
      services: [],
      hosts: [],
      separators: {},
      alertingHosts: [],
      failingHosts: [],
      serviceStarts: {},
      fingerprints: [],
      firing: 0,
      occurrences: 0,
      openedAt: this.clock,
      onset: this.alertStart(alert),
      updatedAt: this.clock,
      lastJoinAt: this.clock,
      exemplars: [],
      eventSeq: 0,
    };
    this.incidents.set(id, incident);
    this.nextDeadline = Math.min(this.nextDeadline, this.clock + this.config.incidentMaxAgeMs);
    this.join(incident, alert, embedding);
    return {
      incidentId: id,
      events: [this.event(incident, 'opened', alert, { kind: 'first-alert' })],
    };
  }

  private attach(
    incident: IncidentState,
    alert: Alert,
    embedding: Float32Array,
    reason: AttachReason,
  ): IncidentEvent {
    this.join(incident, alert, embedding);
    incident.status = 'open';
    return this.event(incident, 'alert-attached', alert, reason);
  }

  private join(incident: IncidentState, alert: Alert, embedding: Float32Array): void {
    const previous = this.alerts.get(alert.fingerprint);
    if (previous && previous.status === 'firing') {
      const old = this.incidents.get(this.canonicalIncident(previous.incidentId));
      if (old) old.firing = Math.max(0, old.firing - 1);
    }
    const tracked: TrackedAlert = {
      fingerprint: alert.fingerprint,
      incidentId: incident.id,
      status: 'firing',
      occurrences: (previous?.occurrences ?? 0) + 1,
      firstSeen: previous?.firstSeen ?? this.clock,
      lastSeen: this.clock,
      service: alert.service,
      ...(previous?.transitions && { transitions: previous.transitions }),
      since: previous ? (previous.since ?? previous.firstSeen) : this.clock,
      ...(previous && { endedAt: previous.endedAt ?? previous.lastSeen }),
      ...(previous?.endedBy && { endedBy: previous.endedBy }),
    };
    if (previous?.status === 'resolved') {
      refire(tracked, this.clock, this.config);
      noteTransition(tracked, this.clock, this.config);
    }
    this.setDeadline(tracked, alert);
    this.alerts.set(alert.fingerprint, tracked);
    if (!incident.fingerprints.includes(alert.fingerprint))
      incident.fingerprints.push(alert.fingerprint);
    if (!incident.services.includes(alert.service)) incident.services.push(alert.service);
    const kinds = (incident.kinds ??= []);
    if (!kinds.includes(alertKind(alert))) kinds.push(alertKind(alert));
    for (const host of this.alertHosts(alert)) {
      if (!incident.hosts.includes(host)) incident.hosts.push(host);
      if (!this.isHostAlert(alert, host)) continue;
      if (!incident.alertingHosts.includes(host)) incident.alertingHosts.push(host);
      const failing = this.symptomScore(embedding) >= this.config.symptomThreshold;
      if (failing && !incident.failingHosts.includes(host)) incident.failingHosts.push(host);
    }
    const start = this.alertStart(alert);
    incident.serviceStarts[alert.service] = Math.max(
      incident.serviceStarts[alert.service] ?? start,
      start,
    );
    this.keepExemplar(incident, {
      fingerprint: alert.fingerprint,
      vector: embedding,
      service: alert.service,
    });
    incident.firing++;
    incident.occurrences++;
    incident.severity = worseSeverity(incident.severity, alert.severity);
    incident.updatedAt = this.clock;
    incident.lastJoinAt = this.clock;
    incident.onset = Math.min(incident.onset, this.alertStart(alert));
    for (const label of this.config.separatingLabels) {
      const value = alert.labels[label];
      if (!value) continue;
      const seen = (incident.separators[label] ??= []);
      if (!seen.includes(value)) seen.push(value);
    }
  }

  /**
   * Keeps the first alerts of an incident, and a few of every service in it beyond that, so that a
   * late alert can still be compared with what its own service said.
   */
  private keepExemplar(incident: IncidentState, exemplar: Exemplar): void {
    const { maxExemplarsPerIncident, exemplarsPerService } = this.config;
    const ofService = incident.exemplars.filter((e) => e.service === exemplar.service).length;
    const room =
      incident.exemplars.length < maxExemplarsPerIncident ||
      (ofService < exemplarsPerService && incident.exemplars.length < 4 * maxExemplarsPerIncident);
    if (room) incident.exemplars.push(exemplar);
  }

  /** The younger incident is absorbed by the older one, keeping its alerts and evidence. */
  private merge(into: IncidentState, other: IncidentState, keepInto = false): IncidentEvent[] {
    const [survivor, absorbed] =
      keepInto || into.openedAt <= other.openedAt ? [into, other] : [other, into];
    if (absorbed.mergedInto || survivor === absorbed) return [];
    // Only the alerts still in the absorbed incident move: one that has since gone to another
    // incident stays there (and stays counted there).
    const moving = absorbed.fingerprints.filter((fingerprint) => {
      const tracked = this.alerts.get(fingerprint);
      return tracked && this.canonicalIncident(tracked.incidentId) === absorbed.id;
    });
    absorbed.mergedInto = survivor.id;
    for (const fingerprint of absorbed.fingerprints) {
      if (!survivor.fingerprints.includes(fingerprint)) survivor.fingerprints.push(fingerprint);
    }
    if (absorbed.forgotten) survivor.forgotten = (survivor.forgotten ?? 0) + absorbed.forgotten;
    for (const fingerprint of moving) {
      const tracked = this.alerts.get(fingerprint);
      if (tracked) tracked.incidentId = survivor.id;
    }
    for (const service of absorbed.services)
      if (!survivor.services.includes(service)) survivor.services.push(service);
    for (const kind of absorbed.kinds ?? []) {
      const kinds = (survivor.kinds ??= []);
      if (!kinds.includes(kind)) kinds.push(kind);
    }
    for (const host of absorbed.hosts)
      if (!survivor.hosts.includes(host)) survivor.hosts.push(host);
    for (const host of absorbed.alertingHosts) {
      if (!survivor.alertingHosts.includes(host)) survivor.alertingHosts.push(host);
    }
    for (const host of absorbed.failingHosts) {
      if (!survivor.failingHosts.includes(host)) survivor.failingHosts.push(host);
    }
    for (const [service, start] of Object.entries(absorbed.serviceStarts)) {
      survivor.serviceStarts[service] = Math.max(survivor.serviceStarts[service] ?? start, start);
    }
    for (const exemplar of absorbed.exemplars) this.keepExemplar(survivor, exemplar);
    survivor.firing += absorbed.firing;
    survivor.occurrences += absorbed.occurrences;
    survivor.severity = worseSeverity(survivor.severity, absorbed.severity);
    survivor.lastJoinAt = Math.max(survivor.lastJoinAt, absorbed.lastJoinAt);
    survivor.onset = Math.min(survivor.onset, absorbed.onset);
    for (const [label, values] of Object.entries(absorbed.separators)) {
      const seen = (survivor.separators[label] ??= []);
      for (const value of values) if (!seen.includes(value)) seen.push(value);
    }
    survivor.updatedAt = this.clock;
    if (survivor.firing > 0) survivor.status = 'open';
    return [
      this.event(survivor, 'merged', undefined, undefined, { mergedIncidentId: absorbed.id }),
    ];
  }

  private event(
    incident: IncidentState,
    type: IncidentEvent['type'],
    alert?: Alert,
    reason?: AttachReason,
    extra: { mergedIncidentId?: string; endReason?: IncidentEndReason; flapping?: boolean } = {},
  ): IncidentEvent {
    incident.eventSeq++;
    const base = {
      schemaVersion: 1 as const,
      eventId: `${incident.id}:${incident.eventSeq}`,
      incidentId: incident.id,
      at: new Date(this.clock).toISOString(),
      incident: {
        title: incident.title,
        severity: incident.severity,
        status: incident.status,
        services: [...incident.services],
        alertCount: incident.fingerprints.length + (incident.forgotten ?? 0),
        openedAt: new Date(incident.openedAt).toISOString(),
        updatedAt: new Date(incident.updatedAt).toISOString(),
      },
    };
    if (type === 'merged') return { ...base, type, mergedIncidentId: extra.mergedIncidentId ?? '' };
    if (type === 'resolved')
      return { ...base, type, ...(extra.endReason && { reason: extra.endReason }) };
    return {
      ...base,
      type,
      fingerprint: alert?.fingerprint ?? '',
      reason: reason ?? { kind: 'first-alert' },
      ...(alert && {
        alert: {
          alertname: alert.alertname,
          service: alert.service,
          severity: alert.severity,
          ...(alert.summary && { summary: alert.summary }),
          startsAt: alert.startsAt,
          ...(extra.flapping && { flapping: true }),
        },
      }),
    };
  }

  private mustGet(id: string): IncidentState {
    const incident = this.incidents.get(id);
    if (!incident) throw new Error(`incident ${id} is not in the correlator state`);
    return incident;
  }

  /**
   * Forgets incidents long finished, with their alerts, and the alerts of open incidents that
   * ended long ago, so state stays bounded: an incident that new alerts keep open for hours (a
   * noisy estate, a chronic condition) would otherwise keep every alert it ever had.
   */
  private prune(): void {
    for (const incident of this.incidents.values()) {
      // An open incident stays until it resolves or reaches its maximum age: forgotten while
      // open, it would never say it ended.
      if (incident.status === 'open' && !incident.mergedInto) continue;
      if (this.clock - incident.updatedAt > this.config.retentionMs)
        this.incidents.delete(incident.id);
    }
    let listings: Map<string, number> | undefined;
    const endedLongAgo = new Map<IncidentState, Set<string>>();
    for (const alert of this.alerts.values()) {
      const incident = this.incidents.get(this.canonicalIncident(alert.incidentId));
      if (!incident) this.alerts.delete(alert.fingerprint);
      // One that fired again into another incident is listed by both and stays: should the two
      // merge, the survivor lists it once, where a count of it could not tell.
      else if (
        this.endedLongAgo(alert) &&
        (listings ??= this.listings()).get(alert.fingerprint) === 1
      ) {
        this.alerts.delete(alert.fingerprint);
        const ended = endedLongAgo.get(incident) ?? new Set<string>();
        endedLongAgo.set(incident, ended.add(alert.fingerprint));
      }
    }
    for (const [incident, ended] of endedLongAgo) forgetAlerts(incident, ended);
  }

  /** How many incidents (not merged away) list each fingerprint. */
  private listings(): Map<string, number> {
    const listings = new Map<string, number>();
    for (const incident of this.incidents.values()) {
      if (incident.mergedInto) continue;
      for (const f of incident.fingerprints) listings.set(f, (listings.get(f) ?? 0) + 1);
    }
    return listings;
  }

  /**
   * Ended longer than the retention ago. Such an alert firing again starts afresh, as after a
   * restart from a snapshot taken then: it is placed like any new alert (most often into the
   * same incident, by its service) and counted once more, and with a retention shorter than the
   * chronic age or the flap window it starts a new run of trouble. A late resolve of it changes
   * nothing.
   */
  private endedLongAgo(alert: TrackedAlert): boolean {
    if (alert.status !== 'resolved') return false;
    return this.clock - (alert.endedAt ?? alert.lastSeen) > this.config.retentionMs;
  }
}

/** Drops `ended` from the incident's alerts and counts them, so its alert count stays. */
function forgetAlerts(incident: IncidentState, ended: ReadonlySet<string>): void {
  const kept = incident.fingerprints.filter((f) => !ended.has(f));
  incident.forgotten = (incident.forgotten ?? 0) + incident.fingerprints.length - kept.length;
  incident.fingerprints = kept;
}

function hops(count: number, via: string[]): AttachReason {
  return { kind: 'topology-neighbour', hops: count, via };
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}
