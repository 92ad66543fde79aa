import type { Alert } from '@vigil/contracts';
import { alertText } from './alert-text';
import type { CorrelationOutcome, IncidentCorrelator } from './incident-correlator';

export type EmbedTexts = (texts: string[]) => Promise<Float32Array[]>;

/**
 * Runs a batch of alerts through a correlator in order. The fingerprints that need an embedding
 * are embedded together first, once each; the model is the caller's (the lib runs none).
 */
export async function correlateBatch(
  correlator: IncidentCorrelator,
  alerts: readonly Alert[],
  embed: EmbedTexts,
): Promise<CorrelationOutcome[]> {
  const needed = new Map<string, string>();
  for (const alert of alerts) {
    if (!needed.has(alert.fingerprint) && correlator.needsEmbedding(alert)) {
      needed.set(alert.fingerprint, alertText(alert));
    }
  }
  const vectors = needed.size > 0 ? await embed([...needed.values()]) : [];
  const byFingerprint = new Map(
    [...needed.keys()].map((fingerprint, i) => [fingerprint, vectors[i]]),
  );
  const outcomes: CorrelationOutcome[] = [];
  for (const alert of alerts) {
    let vector: Float32Array | undefined;
    if (correlator.needsEmbedding(alert)) {
      // Rare: the alert's incident closed within this batch, after the batch was embedded.
      vector = byFingerprint.get(alert.fingerprint) ?? (await embed([alertText(alert)]))[0];
    }
    outcomes.push(correlator.process(alert, vector));
  }
  return outcomes;
}
