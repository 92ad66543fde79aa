import type { Command } from 'commander';

// A small alert storm on the online-shop topology (infra/demo/online-shop.topology.yaml), sent the
// way Alertmanager would: the catalog database fails, catalog and its callers alert in their own
// words; meanwhile, unrelated, a certificate of the email service is about to expire.
function alert(
  alertname: string,
  service: string,
  severity: string,
  summary: string,
  instance: string,
  secondsAgo: number,
) {
  return {
    status: 'firing',
    labels: { alertname, service, severity, instance, cluster: 'demo' },
    annotations: { summary },
    startsAt: new Date(Date.now() - secondsAgo * 1000).toISOString(),
    endsAt: '0001-01-01T00:00:00Z',
    generatorURL: 'http://prometheus:9090/graph',
  };
}

const waves = [
  [
    alert(
      'PostgresTooManyConnections',
      'catalog-db',
      'critical',
      'catalog-db has no free connections',
      'catalog-db-0',
      60,
    ),
  ],
  [
    alert(
      'HighErrorRate',
      'catalog',
      'error',
      '5xx ratio above 12% on catalog: connection pool exhausted',
      'catalog-1',
      40,
    ),
    alert(
      'HighErrorRate',
      'catalog',
      'error',
      '5xx ratio above 12% on catalog: connection pool exhausted',
      'catalog-2',
      40,
    ),
  ],
  [
    alert(
      'SlowResponses',
      'recommendation',
      'warning',
      'p99 latency 2.4s on recommendation',
      'recommendation-1',
      20,
    ),
    alert('SlowResponses', 'frontend', 'warning', 'p99 latency 3.1s on frontend', 'frontend-1', 15),
    alert(
      'CertificateExpiringSoon',
      'email',
      'warning',
      'TLS certificate of smtp.shop.example expires in 5 days',
      'email-1',
      10,
    ),
  ],
];

async function sendDemoStorm(options: { ingest: string; token: string }): Promise<void> {
  const url = `${options.ingest}/api/v1/alerts/alertmanager`;
  for (const [i, alerts] of waves.entries()) {
    const body = {
      version: '4',
      receiver: 'vigil',
      status: 'firing',
      alerts,
      groupLabels: {},
      commonLabels: {},
      commonAnnotations: {},
      externalURL: 'http://alertmanager:9093',
      groupKey: `demo-${i}`,
      truncatedAlerts: 0,
    };
    // Alertmanager re-sends a firing group: three times each, as in a storm.
    for (let repeat = 0; repeat < 3; repeat++) {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${options.token}` },
        body: JSON.stringify(body),
      });
      if (response.status !== 202)
        throw new Error(`ingest answered ${response.status}: ${await response.text()}`);
    }
    console.log(
      `sent wave ${i + 1}: ${alerts.map((a) => `${a.labels.alertname}@${a.labels.service}`).join(', ')} (x3)`,
    );
    await new Promise((resolve) => setTimeout(resolve, 1500));
  }
}

export function registerDemoCommand(program: Command): void {
  program
    .command('demo-storm')
    .description('send the demo alert storm to the ingest service, as Alertmanager would')
    .option('--ingest <url>', 'ingest base URL', 'http://127.0.0.1:3101')
    .requiredOption('--token <token>', 'a bearer token of INGEST_TOKENS')
    .action(sendDemoStorm);
}
