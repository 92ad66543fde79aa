/**
 * What a failure looks like from the services that depend on it: errors, slowness, refused or
 * timed-out calls, unavailability. Alerts closer in meaning to these than to the local-condition
 * prototypes below are the ones that travel along the call graph; a full disk, a throttled pod or
 * an expiring certificate next to an outage is a coincidence, not a symptom. Generic phrasing on
 * purpose: no rule's own wording is copied here.
 */
export const symptomPrototypeTexts: readonly string[] = [
  'high error rate, requests are failing with server errors',
  'high latency, responses are slow and requests take too long',
  'calls to a dependency fail: connection refused, timeouts, upstream unavailable',
  'the service is unavailable, health checks and probes fail',
  'a burst of errors and exceptions in the application logs',
  'the availability objective is at risk, the error budget burns too fast',
];

/** Conditions of one component that do not, by themselves, show that something else failed. */
export const localConditionPrototypeTexts: readonly string[] = [
  'CPU usage is high, the container is throttled',
  'memory usage is high, close to the limit',
  'the disk is filling up, little free space left on the filesystem',
  'a TLS certificate will expire soon',
  'the autoscaler is at its maximum number of replicas',
  'a scheduled job failed to complete',
  'consumer lag is growing on a queue',
  'a pod restarted',
];

export interface SymptomPrototypes {
  symptoms: readonly Float32Array[];
  localConditions: readonly Float32Array[];
}

/**
 * How much more an alert reads like a propagated symptom than like a local condition: a
 * nearest-prototype margin, positive for symptoms.
 */
export function symptomMargin(
  embedding: Float32Array,
  prototypes: SymptomPrototypes,
  cosine: (a: Float32Array, b: Float32Array) => number,
): number {
  const best = (set: readonly Float32Array[]) =>
    set.reduce((m, p) => Math.max(m, cosine(embedding, p)), -1);
  if (prototypes.symptoms.length === 0) return 0;
  return (
    best(prototypes.symptoms) -
    (prototypes.localConditions.length ? best(prototypes.localConditions) : 0)
  );
}

/** Embeds both prototype sets with the caller's embedder (the lib itself runs no model). */
export async function embedSymptomPrototypes(
  embed: (texts: string[]) => Promise<Float32Array[]>,
): Promise<SymptomPrototypes> {
  const vectors = await embed([...symptomPrototypeTexts, ...localConditionPrototypeTexts]);
  return {
    symptoms: vectors.slice(0, symptomPrototypeTexts.length),
    localConditions: vectors.slice(symptomPrototypeTexts.length),
  };
}
