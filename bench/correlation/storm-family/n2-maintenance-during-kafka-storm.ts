import { IncidentKit } from '../incident-kit';
import { addBackgroundNoise } from '../noise';
import { steady } from '../rules/common';
import { datastoreAlert, zabbixHost } from '../rules/infra-rules';
import { targetDown } from '../rules/kubernetes-rules';
import { consumerLag } from '../rules/service-rules';
import { between } from '../rules/common';
import { eq, re } from './policy-book';
import { watchdogs } from './chronic-rules';
import type { StormScenario } from './storm-family';

const HOUR = 3_600_000;

export const maintenanceDuringKafkaStorm: StormScenario = {
  id: 'n2-maintenance-during-kafka-storm',
  title: 'Planned maintenance on two datastores while a Kafka broker fails',
  models:
    'The orders database VM is patched in a one-off window (prod-eu-1, minutes 30-110) that ' +
    'covers the database, its VM, order and inventory: their alerts open nothing. The failover ' +
    'still hurts shipping, warehouse-sync and checkout, which the window does not cover: one ' +
    'incident. A weekly window (Tuesdays 03:00 New York) covers the US Elasticsearch reindex: ' +
    'its alerts open nothing, the slow US search it causes is one incident. Meanwhile a Kafka ' +
    'broker crash-loops: partitions, producers and consumers alert, and 25 minutes in the ' +
    'on-call silences the consumer-lag alerts for two hours. A metrics target of notification ' +
    'flaps all day (one incident) and Watchdog fires in both clusters.',
  startMinute: 6 * 60,
  durationMinutes: 240,
  build(b, policy) {
    const eu = new IncidentKit(b, 'prod-eu-1');
    const us = new IncidentKit(b, 'prod-us-1');
    watchdogs([eu, us], b.start - 9 * 24 * HOUR);
    b.flap(
      targetDown(eu.cluster, 'notification-metrics', 'fulfilment', 'notification', steady(50)),
      b.truth('notification-target-flapping'),
      b.at(3),
      b.at(238),
      [3, 9],
      [6, 30],
    );

    // planned: the orders database fails over to its replica while its VM is patched
    const orders = b.system.datastore('postgres-orders');
    const vm = b.system.vmOf(eu.cluster.name, orders.name);
    const window = { from: b.at(30), to: b.at(110) };
    const covered = [
      eq('cluster', eu.cluster.name),
      re('service', 'postgres-orders|order|inventory'),
    ];
    policy.maintenance(
      'orders-db-patching',
      covered,
      window,
      { kind: 'once' },
      'dba-oncall',
      'CHG-20417 kernel patching of the orders DB VM, failover to replica',
    );
    policy.maintenance(
      'orders-db-vm-patching',
      [eq('host', vm.name)],
      window,
      { kind: 'once' },
      'dba-oncall',
      'CHG-20417 Zabbix side',
    );
    const patching = b.truth('orders-db-failover-impact');
    eu.emit([zabbixHost(vm, 'ping'), zabbixHost(vm, 'agent')], patching, { from: 38, to: 52 });
    eu.emit([datastoreAlert(eu.cluster, orders, vm.ip, 'down')], patching, { from: 40, to: 55 });
    eu.propagate(
      patching,
      orders.name,
      { kind: 'postgres', target: orders.name, mode: 'down', address: `${vm.ip}:5432` },
      { from: 40, to: 56 },
      { reach: [1, 0.6, 0.3] },
    );

    // planned every week: the US search index is rebuilt (03:00-04:30 in New York = 07:00-08:30 UTC)
    policy.maintenance(
      'us-search-reindex',
      [eq('cluster', us.cluster.name), eq('service', 'elasticsearch')],
      { from: b.at(60), to: b.at(150) },
      { kind: 'weekly', days: ['tue'], start: '03:00', timeZone: 'America/New_York' },
      'search-team',
      'weekly full reindex',
    );
    const reindex = b.truth('us-search-reindex-impact');
    const es = b.system.datastore('elasticsearch');
    const esIp = us.pods('elasticsearch')[0].ip;
    us.emit([datastoreAlert(us.cluster, es, esIp, 'yellow')], reindex, { from: 64, to: 140 });
    us.emit([datastoreAlert(us.cluster, es, esIp, 'heap')], reindex, { from: 70, to: 131 });
    us.latency(reindex, 'search', { from: 72, to: 135 });

    // not planned: a Kafka broker crash-loops
    const kafka = b.truth('kafka-broker-crashloop');
    const store = b.system.datastore('kafka');
    const broker = eu.pods('kafka')[2];
    eu.unhealthyPods(kafka, 'kafka', [broker], { from: 50, to: 122 }, true);
    eu.emit([datastoreAlert(eu.cluster, store, broker.ip, 'under-replicated')], kafka, {
      from: 55,
      to: 125,
    });
    eu.emit([datastoreAlert(eu.cluster, store, broker.ip, 'offline-partitions')], kafka, {
      from: 60,
      to: 100,
    });
    eu.propagate(
      kafka,
      'kafka',
      { kind: 'kafka', target: 'kafka', mode: 'down', address: `${broker.ip}:9092` },
      { from: 58, to: 125 },
      { reach: [1, 0.7, 0.4], exclude: ['order', 'warehouse-sync'] },
    );
    eu.emit([consumerLag(eu.target('notification'), 'orders.v1', between(4_000, 90_000))], kafka, {
      from: 62,
      to: 130,
    });
    eu.emit([consumerLag(eu.target('invoice'), 'payments.v1', between(2_000, 40_000))], kafka, {
      from: 64,
      to: 128,
    });
    policy.silence(
      'kafka-lag-known',
      [eq('alertname', 'KafkaConsumersGroupLag'), eq('cluster', eu.cluster.name)],
      b.at(75),
      b.at(195),
      'alice',
      'lag follows the broker crash; tracked in INC-4411',
    );

    addBackgroundNoise(b, { perHour: 10 });
  },
};
