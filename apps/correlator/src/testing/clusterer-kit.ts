import { loadEnvConfig } from '@vigil/config';
import type { Alert } from '@vigil/contracts';
import { embedSymptomPrototypes } from '@vigil/correlation';
import { firingAlert } from '@vigil/correlation/testing';
import type { Embedder } from '@vigil/embeddings';
import { InMemoryTopologyRepository } from '@vigil/graph';
import { type EventPublisher, quietLogger } from '@vigil/messaging';
import { correlatorEnv } from '../correlator.config';
import { IncidentClusterProcessor } from '../incident-cluster.processor';
import { TopologyProvider } from '../topology-provider';

/** The specs' helpers for the clusterer: embeddings, topology, alerts. */

/**
 * Sentence embeddings without a model: one axis per kind of trouble a text names (`meanings`),
 * so texts about the same trouble are similar.
 */
export function keywordEmbedder(meanings: RegExp[]): Embedder {
  return {
    dimension: meanings.length + 1,
    embed: async (texts) =>
      texts.map((text) => {
        const v = Float32Array.from([...meanings.map((m) => (m.test(text) ? 1 : 0)), 0.1]);
        const norm = Math.hypot(...v);
        return v.map((x) => x / norm);
      }),
  };
}

/**
 * The correlator's default settings, a topology where frontend calls orders, which depends on
 * orders-db, and `loners` are services of their own, and a clusterer on them with `embedder`;
 * `wall` is the clock its expiry ticks read.
 */
export async function specClusterer(
  publisher: EventPublisher,
  embedder: Embedder,
  loners: string[],
  wall: () => number,
) {
  const settings = loadEnvConfig(correlatorEnv, {}, () => undefined);
  const topology = new InMemoryTopologyRepository();
  await topology.upsertEdge({ type: 'CALLS', from: 'frontend', to: 'orders' });
  await topology.upsertEdge({ type: 'DEPENDS_ON', from: 'orders', to: 'orders-db' });
  for (const id of loners) await topology.upsertEntity({ id, kind: 'service', properties: {} });
  const provider = new TopologyProvider(
    topology.repository,
    settings.correlation.dependencyMaxHops,
    quietLogger,
  );
  await provider.reload();
  const processor = new IncidentClusterProcessor(
    settings.correlation,
    provider,
    embedder,
    publisher,
    await embedSymptomPrototypes((texts) => embedder.embed(texts)),
    wall,
  );
  return { settings, processor };
}

/** A critical firing alert from the spec, named and placed by `labels` (alertname, service). */
export function criticalAlert(
  labels: { alertname: string; service: string } & Record<string, string>,
  summary: string,
  at: string,
): Alert {
  return firingAlert(labels, at, { source: 'spec', severity: 'critical', summary });
}
