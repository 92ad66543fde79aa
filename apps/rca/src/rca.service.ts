import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  Inject,
  Injectable,
  type LoggerService,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { Topics, type RcaEvidenceSource, type RcaResult } from '@vigil/contracts';
import { TopologyRepository, type Subgraph } from '@vigil/graph';
import {
  type ContractConsumer,
  EventPublisher,
  ServiceConsumers,
  subscription,
  VIGIL_LOGGER,
  VIGIL_SETTINGS,
} from '@vigil/messaging';
import { neighbourhoodEntities, PrometheusEvidence } from '@vigil/prometheus';
import {
  IncidentEvidenceStore,
  mergeMetricSeries,
  rankRootCauses,
  releasesFromEntities,
  rankingChanged,
  toRcaResult,
  type RcaTopology,
  type TrackedIncident,
  defaultAnomalyScale,
  type AnomalyScale,
} from '@vigil/rca';
import { DroppedRecordsMetric, updateStreamBehind } from './evidence-stream-metrics';
import { forgetPublished, type Published } from './published-rankings';
import type { RcaSettings } from './rca.config';

/** How often the evidence store is told the time, apart from the ranking passes. */
const clockIntervalMs = 1_000;

/** How long start-up waits for the consumer of all the evidence to join its group. */
const joinTimeoutMs = 30_000;

/** What vigil.metrics.v1, spans, traces and logs gave: always there, whatever Prometheus does. */
const kafkaSource: RcaEvidenceSource = { name: 'kafka', status: 'ok' };

/**
 * Collects evidence (metrics, whole traces and call records as trace series, log volume, log anomalies, alerts,
 * incident lifecycle) from Kafka and, every interval, re-ranks the open incidents whose
 * neighbourhood received new evidence (or, with a Prometheus configured, whose Prometheus series
 * are due again: they are merged with what Kafka holds); a revision is published on vigil.rca.v1
 * only when the answer changed.
 */
@Injectable()
export class RcaService implements OnApplicationBootstrap, OnApplicationShutdown {
  private consumer?: ContractConsumer;
  /** Evidence, incidents and rankings, all of them: read by every instance. */
  private everything?: ContractConsumer;
  /** The partition of vigil.incidents.v1 each incident is on: its holder ranks it. */
  private readonly partitionOf = new Map<string, number>();
  private timer?: NodeJS.Timeout;
  private clock?: NodeJS.Timeout;
  private ranking = false;
  private readonly store: IncidentEvidenceStore;
  private readonly scale: AnomalyScale;
  private readonly published = new Map<string, Published>();
  private readonly prometheus?: PrometheusEvidence;
  private readonly dropped = new DroppedRecordsMetric();

  constructor(
    @Inject(VIGIL_SETTINGS) private readonly settings: RcaSettings,
    @Inject(VIGIL_LOGGER) private readonly logger: LoggerService,
    @Inject(ServiceConsumers) private readonly consumers: ServiceConsumers,
    @Inject(EventPublisher) private readonly publisher: EventPublisher,
    @Inject(TopologyRepository) private readonly repository: TopologyRepository,
  ) {
    this.scale = { ...defaultAnomalyScale, sustainMs: settings.sustainMs };
    this.store = new IncidentEvidenceStore({
      historyMs: settings.historyMs,
      maxPointsPerSeries: 720,
      leadMs: settings.leadMs,
      retentionMs: 2 * settings.maxAgeMs,
      maintainedBaselines: settings.maintainedBaselines,
    });
    if (settings.prometheus)
      this.prometheus = new PrometheusEvidence(settings.prometheus, settings.historyMs);
  }

  async onApplicationBootstrap(): Promise<void> {
    const store = this.store;
    // Instances share the group: each ranks the incidents on the partitions of vigil.incidents.v1
    // it holds there. But evidence is keyed by service and alert, and partitions move: so every
    // instance reads all the evidence, all the incidents and all the rankings in a group of its
    // own (from now on, or from the beginning with RCA_START_AT=earliest: the store is in memory
    // either way), and whoever holds an incident next ranks it from everything, at the revision
    // after the last one published.
    this.everything = await this.consumers.start(
      [
        subscription(Topics.metrics, async (batch) => store.addMetrics(batch)),
        // the partition too: each stream's time is that of its slowest partition
        subscription(Topics.spans, async (span, meta) => store.addCallSpan(span, meta.partition)),
        subscription(Topics.traces, async (span, meta) => store.addTraceSpan(span, meta.partition)),
        subscription(Topics.logs, async (record, meta) =>
          store.addLogRecord(record, meta.partition),
        ),
        subscription(Topics.anomalies, async (anomaly) => store.addAnomaly(anomaly)),
        subscription(Topics.alertsRaw, async (alert) => store.addAlert(alert)),
        subscription(Topics.incidents, async (event, meta) => {
          store.observeIncident(event);
          this.partitionOf.set(event.incidentId, meta.partition);
        }),
        subscription(Topics.rca, async (result) => this.adopt(result)),
      ],
      {
        groupId: `${this.settings.group}.all.${randomUUID()}`,
        onJoin: (assignment) =>
          store.expectPartitions({
            callSpans: assignment[Topics.spans.name] ?? [],
            traceSpans: assignment[Topics.traces.name] ?? [],
            logRecords: assignment[Topics.logs.name] ?? [],
          }),
      },
    );
    // Positioned before the app says it is up, so evidence sent from then on is not skipped (a
    // group it may not join, say for a missing ACL, is reported by the consumer: start goes on).
    await Promise.race([this.everything.joined(), sleep(joinTimeoutMs, undefined, { ref: false })]);
    // Read for its partitions only: the incidents themselves come in above.
    this.consumer = await this.consumers.start([
      subscription(Topics.incidents, async () => undefined),
    ]);
    this.timer = setInterval(() => void this.rankDue(), this.settings.intervalMs);
    // the store's clock moves apart from the passes: a slow pass must not leave it minutes behind,
    // where every new record looks like one from a clock far ahead
    this.clock = setInterval(() => this.store.observeClock(Date.now()), clockIntervalMs);
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    if (this.clock) clearInterval(this.clock);
    await this.consumer?.stop();
    await this.everything?.stop();
  }

  /** One pass at a time: a slow Neo4j must not pile passes up. */
  private async rankDue(): Promise<void> {
    if (this.ranking) return;
    this.ranking = true;
    try {
      const now = Date.now();
      this.store.prune(now);
      this.dropped.update(this.store.dropped());
      updateStreamBehind(this.store.streamTimes(), now);
      const maxAge = this.settings.maxAgeMs;
      forgetPublished(this.published, (id) => this.store.incident(id), now, maxAge);
      for (const id of this.partitionOf.keys())
        if (!this.store.incident(id)) this.partitionOf.delete(id);
      this.prometheus?.forget((id) => this.store.incident(id)?.status === 'open');
      for (const incident of this.store.openIncidents()) {
        if (now - incident.openedAt <= maxAge && this.ranksHere(incident.id))
          await this.rankIncident(incident, now);
      }
    } catch (error) {
      this.logger.error(error, 'RcaService');
    } finally {
      this.ranking = false;
    }
  }

  /** Whether this instance holds the incident's partition in the shared group. */
  private ranksHere(incidentId: string): boolean {
    const partition = this.partitionOf.get(incidentId);
    if (partition === undefined || !this.consumer) return false;
    return this.consumer.holds(Topics.incidents.name, partition);
  }

  /**
   * A ranking published by any instance (this one too): an incident that moves here goes on from
   * its latest revision, so consumers, which drop a revision they have seen, take the next one.
   */
  private adopt(result: RcaResult): void {
    const known = this.published.get(result.incidentId);
    if (known && known.result.revision >= result.revision) return;
    // Ranked elsewhere on evidence this instance cannot compare: it ranks again when it holds it.
    this.published.set(result.incidentId, { result, evidenceVersion: -1 });
  }

  private async rankIncident(incident: TrackedIncident, now: number): Promise<void> {
    const subgraph = await this.repository.neighbourhood(incident.services, this.settings.hops);
    const topology = rcaTopology(subgraph, incident.services);
    const evidenceVersion = this.store.evidenceVersion(topology.services);
    const previous = this.published.get(incident.id);
    const prometheusDue = this.prometheus?.due(incident.id, now) ?? false;
    if (previous && previous.evidenceVersion === evidenceVersion && !prometheusDue) return;
    const evidence = this.store.caseFor(incident.id, topology, now);
    if (!evidence) return;
    const entities = neighbourhoodEntities(subgraph.nodes, incident.services);
    const stored = await this.prometheus?.read(incident.id, entities, now);
    const input = {
      ...evidence,
      series: stored ? mergeMetricSeries(evidence.series, stored.series) : evidence.series,
      releases: releasesFromEntities(subgraph.nodes),
    };
    const ranked = rankRootCauses(input, { scale: this.scale }).filter((cause) => cause.score > 0);
    const result = {
      ...toRcaResult(incident.id, (previous?.result.revision ?? -1) + 1, ranked, now),
      ...(stored && { sources: [kafkaSource, stored.source] }),
    };
    if (!rankingChanged(previous?.result, result)) {
      if (previous) previous.evidenceVersion = evidenceVersion;
      return;
    }
    await this.publisher.publish(Topics.rca, result);
    this.published.set(incident.id, { result, evidenceVersion });
    this.logger.log(
      {
        msg: 'root causes ranked',
        incidentId: incident.id,
        revision: result.revision,
        top: result.candidates.slice(0, 3).map((c) => `${c.service}:${c.score}`),
        ...(stored &&
          stored.source.status !== 'ok' && {
            missing: `prometheus ${stored.source.status}: ${stored.source.detail ?? ''}`,
          }),
      },
      'RcaService',
    );
  }
}

/** Neo4j's neighbourhood as the ranker's plain topology; the incident's own services always count. */
function rcaTopology(subgraph: Subgraph, incidentServices: readonly string[]): RcaTopology {
  return {
    services: [...new Set([...subgraph.nodes.map((n) => n.id), ...incidentServices])],
    edges: subgraph.edges.map((e) => ({ from: e.from, to: e.to, type: e.type })),
  };
}
