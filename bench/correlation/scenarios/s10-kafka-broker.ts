import { IncidentKit } from '../incident-kit';
import { addBackgroundNoise } from '../noise';
import { ramp } from '../rules/common';
import { backupFailed, datastoreAlert, pvcFillingUp } from '../rules/infra-rules';
import type { Scenario } from './scenario';

export const kafkaBroker: Scenario = {
  id: 's10-kafka-broker',
  title: 'A Kafka broker fails: producers and consumers alert',
  models:
    'The data volume of broker kafka-1 (prod-eu-1) fills up; at minute 55 the broker crashes ' +
    'and crash-loops. Partitions go under-replicated and some offline; producers (order, ' +
    'invoice) time out, consumers (notification, warehouse-sync, invoice) lag, and checkout and ' +
    "the storefront notice the order service failing: one incident. Unrelated: last night's " +
    'backup of postgres-users failed (open all window), and at minute 120 a bad configuration ' +
    'of loyalty breaks the loyalty API and the mobile BFF: two more incidents.',
  durationMinutes: 180,
  build(b) {
    const eu = new IncidentKit(b, 'prod-eu-1');
    const truth = b.truth('kafka-broker-disk-crash');
    const store = b.system.datastore('kafka');
    const broker = eu.pods('kafka')[1];
    eu.emit(
      [pvcFillingUp(eu.cluster, 'kafka', 'messaging', `data-${broker.name}`, ramp(12, 0.5))],
      truth,
      { from: 25, to: 112 },
    );
    eu.emit([datastoreAlert(eu.cluster, store, broker.ip, 'memory')], truth, { from: 30, to: 112 });
    eu.unhealthyPods(truth, 'kafka', [broker], { from: 55, to: 110 }, true);
    eu.emit([datastoreAlert(eu.cluster, store, broker.ip, 'under-replicated')], truth, {
      from: 55,
      to: 115,
    });
    eu.emit([datastoreAlert(eu.cluster, store, broker.ip, 'offline-partitions')], truth, {
      from: 56,
      to: 100,
    });
    eu.propagate(
      truth,
      'kafka',
      { kind: 'kafka', target: 'kafka', mode: 'down', address: `${broker.ip}:9092` },
      { from: 56, to: 108 },
      { reach: [1, 0.8, 0.5] },
    );

    const backup = b.truth('users-db-backup-failed');
    eu.emit(
      [backupFailed(eu.cluster, b.system.datastore('postgres-users'))],
      backup,
      { from: 0 },
      { startedAt: b.start - 5 * 3_600_000 },
    );

    const loyalty = b.truth('loyalty-bad-config');
    const config = { kind: 'internal' as const, target: 'loyalty', mode: 'bug' as const };
    eu.errors(loyalty, 'loyalty', { from: 120, to: 150 }, config);
    eu.latency(loyalty, 'loyalty', { from: 121, to: 149 });
    eu.errors(
      loyalty,
      'mobile-bff',
      { from: 122, to: 150 },
      { kind: 'http', target: 'loyalty', mode: 'down' },
    );

    addBackgroundNoise(b, { perHour: 11 });
  },
};
