import type { Kafka } from 'kafkajs';
import type { Alert, IncidentEvent } from '@vigil/contracts';
import { correlateAlerts } from '@vigil/correlation';
import { CachedEmbedder, SentenceEmbedder } from '@vigil/embeddings';
import type { TopologyRepository } from '@vigil/graph';
import { readRawAlerts, readScopedAlerts } from './kafka-reads';

/** Calls seen in spans count this long, as the correlator's own default. */
const observedEdgeMaxAgeMs = 24 * 60 * 60_000;

/**
 * What a trial is judged against: the incidents uninterrupted offline correlators make, with the
 * topology the live one read, of
 * - `input`: the very records the live correlator read, in the order it read them (one correlator
 *   per partition of vigil.correlator.scoped-alerts, as live): what the live one would have made
 *   had no fault stopped it. A crash, a replay or a lost record shows as a difference; nothing
 *   else does.
 * - `ingest`: every record of vigil.alerts.raw.v1 in the order ingest stamped them. The router
 *   re-keys each raw partition on its own, so a burst reaches a scope's partition interleaved,
 *   and borderline text joins go with the order: the difference is reported, not a fault's.
 * Only alerts stamped since the live correlator started count. A second live run is no yardstick:
 * its alerts arrive at other moments, so borderline joins go the other way without any fault.
 */
export class OfflineExpectation {
  private model?: SentenceEmbedder;
  private embedder?: CachedEmbedder;

  constructor(
    private readonly kafka: Kafka,
    private readonly topology: TopologyRepository,
    /** When the live correlator started: the bench's Kafka keeps earlier runs' alerts. */
    private readonly since: number,
  ) {}

  async events(order: 'input' | 'ingest'): Promise<IncidentEvent[]> {
    const streams =
      order === 'ingest'
        ? [inArrivalOrder(await readRawAlerts(this.kafka), this.since)]
        : [...(await readScopedAlerts(this.kafka)).values()].map((alerts) =>
            alerts.filter((a) => Date.parse(a.receivedAt) >= this.since),
          );
    const { entities, edges } = await this.topology.wholeTopology(
      Date.now() - observedEdgeMaxAgeMs,
    );
    // Normalized-text embeddings, as the correlator's own: a template's vector never depends on
    // which variant came first.
    this.model ??= await SentenceEmbedder.load();
    this.embedder ??= new CachedEmbedder(this.model, {
      embedText: 'normalized',
      maxEntries: 50_000,
    });
    const embedder = this.embedder;
    const events: IncidentEvent[] = [];
    for (const alerts of streams) {
      const result = await correlateAlerts(alerts, {
        embed: (texts) => embedder.embed(texts),
        topology: { services: entities.map((e) => e.id), edges },
        expire: true,
      });
      events.push(...result.events);
    }
    return events;
  }

  async dispose(): Promise<void> {
    await this.model?.dispose();
  }
}

/**
 * Alerts stamped at `since` or later, by ingest's stamp; the same stamp keeps the topic's order. A
 * record a producer retried (same fingerprint, status and stamp) counts once, as it did for the
 * live correlator.
 */
export function inArrivalOrder(alerts: readonly Alert[], since = 0): Alert[] {
  const seen = new Set<string>();
  const unique = alerts.filter((a) => {
    if (Date.parse(a.receivedAt) < since) return false;
    const key = `${a.fingerprint}|${a.status}|${a.receivedAt}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  return unique
    .map((alert, i) => ({ alert, i, at: Date.parse(alert.receivedAt) }))
    .sort((a, b) => a.at - b.at || a.i - b.i)
    .map((x) => x.alert);
}
