import type { Alert } from '@vigil/contracts';
import { alertText } from './alert-text';
import type { CorrelationOutcome, IncidentCorrelator } from './incident-correlator';

export type EmbedTexts = (texts: string[]) => Promise<Float32Array[]>;

export interface CorrelateBatchOptions {
  /**
   * Before each alert, end what expired by its arrival (`IncidentCorrelator.expire`); those events
   * come first in that alert's outcome. Off, alerts and incidents end only by resolves.
   */
  expire?: boolean;
}

/**
 * Runs a batch of alerts through a correlator in order. The fingerprints that need an embedding
 * are embedded together first, once each; the model is the caller's (the lib runs none).
 */
export async function correlateBatch(
  correlator: IncidentCorrelator,
  alerts: readonly Alert[],
  embed: EmbedTexts,
  options: CorrelateBatchOptions = {},
): Promise<CorrelationOutcome[]> {
  const needed = new Map<string, string>();
  for (const alert of alerts) {
    const needs = options.expire
      ? correlator.mayNeedEmbedding(alert)
      : correlator.needsEmbedding(alert);
    if (!needed.has(alert.fingerprint) && needs) {
      needed.set(alert.fingerprint, alertText(alert));
    }
  }
  const vectors = needed.size > 0 ? await embed([...needed.values()]) : [];
  const byFingerprint = new Map(
    [...needed.keys()].map((fingerprint, i) => [fingerprint, vectors[i]]),
  );
  const outcomes: CorrelationOutcome[] = [];
  for (const alert of alerts) {
    const expired = options.expire ? correlator.expire(Date.parse(alert.receivedAt)) : [];
    let vector: Float32Array | undefined;
    if (correlator.needsEmbedding(alert)) {
      // Rare: the alert's incident closed within this batch, after the batch was embedded.
      vector = byFingerprint.get(alert.fingerprint) ?? (await embed([alertText(alert)]))[0];
    }
    const outcome = correlator.process(alert, vector);
    outcomes.push(
      expired.length > 0 ? { ...outcome, events: [...expired, ...outcome.events] } : outcome,
    );
  }
  return outcomes;
}
