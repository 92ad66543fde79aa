import { alertFingerprint } from '@vigil/correlation';
import type { Alert, AlertSeverity, TopologyGraph } from '@vigil/contracts';

/**
 * A small alert storm on a small topology, with a cluster label unique to the test run: a database
 * failing under its callers, and, unrelated to it, a full disk and an expiring certificate.
 */
export function stormFixture(runId: string) {
  const svc = (name: string) => `c${runId}-${name}`;
  const topology: TopologyGraph = {
    services: ['web', 'orders', 'orders-db', 'search', 'mailer'].map(svc),
    edges: [
      { from: svc('web'), to: svc('orders'), type: 'CALLS' },
      { from: svc('orders'), to: svc('orders-db'), type: 'DEPENDS_ON' },
    ],
  };
  const t0 = Date.parse('2026-11-27T09:00:00Z');
  const cluster = `run-${runId}`;
  const make = (
    name: string,
    service: string,
    severity: AlertSeverity,
    summary: string,
    instance: string,
    second: number,
  ): Alert => {
    const labels = { alertname: name, service: svc(service), instance, cluster, severity };
    const at = new Date(t0 + second * 1000).toISOString();
    return {
      schemaVersion: 1,
      fingerprint: alertFingerprint(labels),
      source: 'integration-test',
      status: 'firing',
      alertname: name,
      severity,
      service: svc(service),
      summary,
      labels,
      annotations: { summary },
      startsAt: at,
      receivedAt: at,
    };
  };
  const alerts: Alert[] = [];
  for (let round = 0; round < 20; round++) {
    const s = round * 30;
    for (let i = 0; i < 3; i++)
      alerts.push(
        make(
          'PostgresConnectionsExhausted',
          'orders-db',
          'critical',
          'too many connections on orders-db',
          `db-${i}`,
          s,
        ),
      );
    for (let i = 0; i < 4; i++)
      alerts.push(
        make(
          'HighErrorRate',
          'orders',
          'error',
          '5xx ratio above 10% on orders',
          `orders-${i}`,
          s + 5,
        ),
      );
    for (let i = 0; i < 4; i++)
      alerts.push(
        make('SlowResponses', 'web', 'warning', 'p99 latency above 2s on web', `web-${i}`, s + 8),
      );
    alerts.push(
      make(
        'NodeFilesystemAlmostOutOfSpace',
        'search',
        'warning',
        'filesystem /var on search-1 is 95% full',
        'search-1',
        s + 12,
      ),
    );
    alerts.push(
      make(
        'CertificateExpiringSoon',
        'mailer',
        'warning',
        'TLS certificate for smtp expires in 3 days',
        'mailer-1',
        s + 15,
      ),
    );
  }
  return { topology, alerts, cluster };
}
