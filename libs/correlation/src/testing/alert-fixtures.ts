import type { Alert } from '@vigil/contracts';
import { alertFingerprint } from '../alert-fingerprint';

/**
 * Shared by the specs (`@vigil/correlation/testing`): a firing warning received `at`, named and
 * placed by its labels, whose fingerprint it carries; `extra` sets anything else.
 */
export function firingAlert(
  labels: { alertname: string; service: string } & Record<string, string>,
  at: string,
  extra: Partial<Alert> = {},
): Alert {
  return {
    schemaVersion: 1,
    fingerprint: alertFingerprint(labels),
    source: 'test',
    status: 'firing',
    alertname: labels.alertname,
    severity: 'warning',
    service: labels.service,
    labels,
    annotations: {},
    startsAt: at,
    receivedAt: at,
    ...extra,
  };
}

/** A hand-made embedding, 1 on `axis` of `dimension`: similarity is known without a model. */
export function unitVector(dimension: number, axis: number): Float32Array {
  const v = new Float32Array(dimension);
  v[axis] = 1;
  return v;
}
