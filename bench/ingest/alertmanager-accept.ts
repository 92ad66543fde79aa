import { startAlertmanager, type RunningAlertmanager } from '../alertmanager/alertmanager-process';

/**
 * The real Alertmanager (v0.35.0, .vigil/bin) as a yardstick of taking alerts in: grouped as a
 * team would, into a receiver that notifies nobody, so what is measured is its API and in-memory
 * alert store, what Vigil's ingest is compared with.
 */
export function startYardstickAlertmanager(): Promise<RunningAlertmanager> {
  return startAlertmanager(
    [
      'route:',
      '  receiver: nobody',
      '  group_by: [alertname, cluster, service]',
      '  group_wait: 30s',
      '  group_interval: 5m',
      '  repeat_interval: 4h',
      'receivers:',
      '  - name: nobody',
      '',
    ].join('\n'),
  );
}
