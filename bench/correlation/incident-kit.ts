import type { Rng } from './prng';
import { type AlertTemplate, type ValueFn } from './rules/common';
import {
  type WorkloadRef,
  argoDegraded,
  podCrashLooping,
  podNotReady,
  replicasMismatch,
  rolloutStuck,
  workloadRef,
} from './rules/kubernetes-rules';
import {
  type Fault,
  type ServiceTarget,
  dependencyAlerts,
  errorAlerts,
  errorLogBurst,
  errorMessage,
  latencyAlerts,
} from './rules/service-rules';
import type { ClusterModel, Language, Pod } from './system-model';
import type { ScenarioBuilder } from './scenario-builder';

/** A span of minutes from the scenario start: [from, to]; to undefined = still open at the end. */
export interface Span {
  from: number;
  to?: number;
}

/**
 * Building blocks shared by the scenarios: one cluster, one rollout generation of pods, helpers
 * that emit the symptoms a service shows and how a failure travels to the callers.
 */
export class IncidentKit {
  readonly cluster: ClusterModel;
  readonly r: Rng;

  constructor(
    readonly b: ScenarioBuilder,
    clusterName: string,
    private readonly generation = b.id,
  ) {
    this.cluster = b.system.cluster(clusterName);
    this.r = b.rng;
  }

  target(service: string, generation = this.generation): ServiceTarget {
    return {
      cluster: this.cluster,
      service: this.b.system.service(service),
      pods: this.b.system.pods(this.cluster.name, service, generation),
    };
  }

  pods(workload: string, generation = this.generation): Pod[] {
    return this.b.system.pods(this.cluster.name, workload, generation);
  }

  workload(name: string): WorkloadRef {
    const store = this.b.system.isDatastore(name) ? this.b.system.datastore(name) : undefined;
    const namespace = store?.namespace ?? this.b.system.service(name).namespace;
    return workloadRef(this.cluster, name, namespace);
  }

  /** Emit templates as series over a span given in minutes, with a little jitter per series. */
  emit(
    templates: AlertTemplate[],
    truth: string,
    span: Span,
    options: { value?: ValueFn; jitter?: number; startedAt?: number } = {},
  ): void {
    const jitter = options.jitter ?? 1.5;
    for (const template of templates) {
      const from = this.b.at(span.from + this.r.float(0, jitter));
      const to = span.to === undefined ? undefined : this.b.at(span.to + this.r.float(0, jitter));
      this.b.series(template, truth, {
        from,
        to,
        value: options.value,
        startedAt: options.startedAt,
      });
    }
  }

  latency(truth: string, service: string, span: Span, value?: ValueFn): void {
    this.emit(latencyAlerts(this.target(service), this.r, value), truth, span);
  }

  errors(truth: string, service: string, span: Span, fault?: Fault, value?: ValueFn): void {
    this.emit(errorAlerts(this.target(service), this.r, fault, value), truth, span);
  }

  /**
   * A service failing on `fault`: its errors, its latency when a span is given for it, and its
   * callers failing on it (`callersSee` it down or slow).
   */
  failingService(
    truth: string,
    service: string,
    fault: Fault,
    spans: { errors: Span; latency?: Span; callers: Span },
    callersSee: 'down' | 'slow',
    propagation: PropagationOptions,
  ): void {
    this.errors(truth, service, spans.errors, fault);
    if (spans.latency) this.latency(truth, service, spans.latency);
    this.propagate(
      truth,
      service,
      { kind: 'http', target: service, mode: callersSee },
      spans.callers,
      propagation,
    );
  }

  /**
   * A release of `service` whose new pods crash-loop: the rollout gets stuck, Argo CD reports the
   * app degraded, the service shows errors, latency and error logs of its bug, and its callers
   * see it down. Each symptom has its own span.
   */
  badRelease(truth: string, service: string, release: BadRelease): void {
    const w = this.workload(service);
    const newPods = this.pods(service, `${this.b.id}/${release.version}`);
    this.unhealthyPods(truth, service, newPods, release.spans.pods, true);
    this.emit([rolloutStuck(w)], truth, release.spans.rollout);
    this.emit([argoDegraded(w, release.revision)], truth, release.spans.argo);
    const bug: Fault = { kind: 'internal', target: service, mode: 'bug' };
    this.errors(truth, service, release.spans.errors, bug);
    this.latency(truth, service, release.spans.latency);
    const message = errorMessage(this.r, release.language, bug);
    this.emit([errorLogBurst(this.target(service), message)], truth, release.spans.logs);
    this.propagate(
      truth,
      service,
      { kind: 'http', target: service, mode: 'down' },
      release.spans.callers,
      { reach: [0.95, 0.8] },
    );
  }

  /**
   * A failure travels upstream: direct users of `root` see it first and in its own terms
   * (client errors, pool exhaustion, log bursts), callers further up see errors and latency a
   * little later, and not every service on the way alerts (a retry or a cache hides it).
   */
  propagate(
    truth: string,
    root: string,
    fault: Fault,
    span: Span,
    options: PropagationOptions = {},
  ): string[] {
    const reach = options.reach ?? [0.95, 0.75, 0.5];
    const alerted: string[] = [];
    let frontier = [root];
    const seen = new Set([root, ...(options.exclude ?? [])]);
    for (let hop = 0; hop < reach.length && frontier.length > 0; hop++) {
      const next: string[] = [];
      for (const callee of frontier) {
        for (const caller of this.b.system.callersOf(callee)) {
          if (seen.has(caller.name)) continue;
          seen.add(caller.name);
          next.push(caller.name);
          if (!this.r.chance(reach[hop])) continue;
          alerted.push(caller.name);
          this.callerSymptoms(
            truth,
            caller.name,
            hop === 0 ? fault : upstreamFault(callee),
            span,
            hop,
          );
        }
      }
      frontier = next;
    }
    return alerted;
  }

  private callerSymptoms(
    truth: string,
    service: string,
    fault: Fault,
    span: Span,
    hop: number,
  ): void {
    const lag = this.r.float(0.5, 2.5) * (hop + 1);
    const recover = this.r.float(0.5, 4);
    const shifted: Span = {
      from: span.from + lag,
      to: span.to === undefined ? undefined : span.to + recover,
    };
    const t = this.target(service);
    if (hop === 0 || this.r.chance(0.7)) this.emit(errorAlerts(t, this.r, fault), truth, shifted);
    if (this.r.chance(hop === 0 ? 0.6 : 0.5)) this.emit(latencyAlerts(t, this.r), truth, shifted);
    if (hop === 0) this.emit(dependencyAlerts(t, this.r, fault), truth, shifted);
  }

  /** Pods of a workload that cannot start or keep restarting, with the platform's alerts. */
  unhealthyPods(
    truth: string,
    workload: string,
    pods: Pod[],
    span: Span,
    crashLoop: boolean,
  ): void {
    const w = this.workload(workload);
    for (const pod of pods) {
      const from = span.from + this.r.float(0, 3);
      if (crashLoop) this.emit([podCrashLooping(w, pod)], truth, { from: from + 2, to: span.to });
      if (this.r.chance(0.8))
        this.emit([podNotReady(w, pod)], truth, { from: from + 15, to: span.to });
    }
    const statefulSet = this.b.system.isDatastore(workload);
    if (span.to === undefined || span.to - span.from > 15) {
      this.emit([replicasMismatch(w, statefulSet)], truth, { from: span.from + 15, to: span.to });
    }
  }
}

/** A bad release: its version, the revision Argo CD syncs, the language its errors are in. */
export interface BadRelease {
  version: string;
  revision: string;
  language: Language;
  spans: Record<'pods' | 'rollout' | 'argo' | 'errors' | 'latency' | 'logs' | 'callers', Span>;
}

export interface PropagationOptions {
  /** Probability that a service alerts at 1, 2, 3 hops upstream of the root. */
  reach?: number[];
  /** Services that do not alert (and do not pass the failure on) in this incident. */
  exclude?: string[];
}

function upstreamFault(callee: string): Fault {
  return { kind: 'http', target: callee, mode: 'slow' };
}
