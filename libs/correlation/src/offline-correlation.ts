import type { Alert, IncidentEvent, TopologyGraph } from '@vigil/contracts';
import { correlateBatch } from './correlate-batch';
import { correlationConfig, type CorrelationConfig } from './correlation-config';
import type { FeedbackAdvisor } from './feedback-memory';
import { IncidentCorrelator } from './incident-correlator';
import { ServiceGraph } from './service-graph';
import { embedSymptomPrototypes } from './symptom-prototypes';

export interface OfflineCorrelationOptions {
  /** Sentence embeddings of alert texts; the caller brings the model (and its cache). */
  embed: (texts: string[]) => Promise<Float32Array[]>;
  topology: TopologyGraph;
  config?: Partial<CorrelationConfig>;
  /** Alerts embedded per call: larger batches are faster, smaller ones report progress sooner. */
  batchSize?: number;
  onProgress?: (done: number, total: number) => void;
  /**
   * End alerts and incidents by time as the live correlator does (resolve timeouts, `endsAt`,
   * maximum age), and once more after the last alert at `expireUntil` (default: the last arrival).
   */
  expire?: boolean;
  expireUntil?: number;
  /** What people taught by merging and splitting incidents (see FeedbackMemory). */
  feedback?: FeedbackAdvisor;
}

export interface OfflineCorrelationResult {
  events: IncidentEvent[];
  /** The incident of each input alert, in input order, after merges ('' for a resolve of an unknown alert). */
  incidentOf: string[];
}

/**
 * The correlator over a whole alert list, in order, without Kafka: for the CLI and the
 * benchmarks, in batches (see correlateBatch).
 */
export async function correlateAlerts(
  alerts: Alert[],
  options: OfflineCorrelationOptions,
): Promise<OfflineCorrelationResult> {
  const config = correlationConfig(options.config);
  const prototypes = await embedSymptomPrototypes(options.embed);
  const graph = new ServiceGraph(options.topology, config.dependencyMaxHops);
  const correlator = new IncidentCorrelator(config, graph, prototypes);
  correlator.useFeedback(options.feedback);
  const batchSize = options.batchSize ?? 256;
  const events: IncidentEvent[] = [];
  const assigned: string[] = [];
  for (let start = 0; start < alerts.length; start += batchSize) {
    const outcomes = await correlateBatch(
      correlator,
      alerts.slice(start, start + batchSize),
      options.embed,
      { expire: options.expire },
    );
    for (const outcome of outcomes) {
      assigned.push(outcome.incidentId);
      events.push(...outcome.events);
    }
    options.onProgress?.(Math.min(start + batchSize, alerts.length), alerts.length);
  }
  if (options.expire && alerts.length > 0) {
    const last = Date.parse(alerts[alerts.length - 1]?.receivedAt ?? '');
    events.push(...correlator.expire(options.expireUntil ?? last));
  }
  return { events, incidentOf: assigned.map((id) => (id ? correlator.canonicalIncident(id) : '')) };
}
