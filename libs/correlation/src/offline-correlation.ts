import type { Alert, IncidentEvent } from '@vigil/contracts';
import { alertText } from './alert-text';
import { correlationConfig, type CorrelationConfig } from './correlation-config';
import { IncidentCorrelator } from './incident-correlator';
import { ServiceGraph, type TopologyGraphData } from './service-graph';
import { embedSymptomPrototypes } from './symptom-prototypes';

export type { TopologyGraphData } from './service-graph';

export interface OfflineCorrelationOptions {
  /** Sentence embeddings of alert texts; the caller brings the model (and its cache). */
  embed: (texts: string[]) => Promise<Float32Array[]>;
  topology: TopologyGraphData;
  config?: Partial<CorrelationConfig>;
  /** Alerts embedded per call: larger batches are faster, smaller ones report progress sooner. */
  batchSize?: number;
  onProgress?: (done: number, total: number) => void;
}

export interface OfflineCorrelationResult {
  events: IncidentEvent[];
  /** The incident of each input alert, in input order, after merges ('' for a resolve of an unknown alert). */
  incidentOf: string[];
}

/**
 * The correlator over a whole alert list, in order, without Kafka: for the CLI and the
 * benchmarks. Alerts are embedded in batches ahead of processing; only alerts that need an
 * embedding at their turn get one.
 */
export async function correlateAlerts(
  alerts: Alert[],
  options: OfflineCorrelationOptions,
): Promise<OfflineCorrelationResult> {
  const config = correlationConfig(options.config);
  const prototypes = await embedSymptomPrototypes(options.embed);
  const graph = new ServiceGraph(options.topology, config.dependencyMaxHops);
  const correlator = new IncidentCorrelator(config, graph, prototypes);
  const batchSize = options.batchSize ?? 256;
  const events: IncidentEvent[] = [];
  const assigned: string[] = [];
  for (let start = 0; start < alerts.length; start += batchSize) {
    const batch = alerts.slice(start, start + batchSize);
    const vectors = await embedFirstSightings(
      batch.filter((a) => correlator.needsEmbedding(a)),
      options.embed,
    );
    for (const alert of batch) {
      let vector: Float32Array | undefined;
      if (correlator.needsEmbedding(alert)) {
        // Rare: the alert's incident closed within this batch, after the batch was embedded.
        vector = vectors.get(alert.fingerprint) ?? (await options.embed([alertText(alert)]))[0];
      }
      const outcome = correlator.process(alert, vector);
      assigned.push(outcome.incidentId);
      events.push(...outcome.events);
    }
    options.onProgress?.(Math.min(start + batchSize, alerts.length), alerts.length);
  }
  return { events, incidentOf: assigned.map((id) => (id ? correlator.canonicalIncident(id) : '')) };
}

/** Embeds each fingerprint once per batch. */
async function embedFirstSightings(
  batch: Alert[],
  embed: (texts: string[]) => Promise<Float32Array[]>,
): Promise<Map<string, Float32Array>> {
  const firstOf = new Map<string, Alert>();
  for (const alert of batch)
    if (alert.status === 'firing' && !firstOf.has(alert.fingerprint))
      firstOf.set(alert.fingerprint, alert);
  const alertsToEmbed = [...firstOf.values()];
  const vectors = alertsToEmbed.length ? await embed(alertsToEmbed.map(alertText)) : [];
  return new Map(alertsToEmbed.map((alert, i) => [alert.fingerprint, vectors[i]]));
}
