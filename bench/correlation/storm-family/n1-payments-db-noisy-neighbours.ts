import { IncidentKit } from '../incident-kit';
import { addBackgroundNoise } from '../noise';
import { between } from '../rules/common';
import { datadogSslCheck, datastoreAlert, zabbixDisk, zabbixHost } from '../rules/infra-rules';
import { cpuThrottling, jobFailed } from '../rules/kubernetes-rules';
import { deprecatedApiInUse, idsDetection, watchdogs } from './chronic-rules';
import type { StormScenario } from './storm-family';

const HOUR = 3_600_000;

export const paymentsDbNoisyNeighbours: StormScenario = {
  id: 'n1-payments-db-noisy-neighbours',
  title: 'A payments database saturates while its services have other, older trouble',
  models:
    'postgres-payments (prod-eu-1) runs out of connections for an hour: the database, its VM, ' +
    'payment, fraud-check, invoice and their callers up to the gateway alert: one incident. On ' +
    'the same services and the same VM, during that hour, unrelated trouble: a payment pod is ' +
    'CPU-throttled, the monthly invoice export job fails, the certificate of a gateway domain is ' +
    'due in 16 days, /var/log fills on the database VM; the IDS reports a port scan against the ' +
    'gateway five times without ever resolving. Watchdog fires in both clusters all day and a ' +
    'deprecated-API check on checkout has fired for a week. Later a cart Redis in prod-us-1 runs ' +
    'out of memory. Each of these is its own incident.',
  startMinute: 7 * 60 + 10,
  durationMinutes: 240,
  build(b) {
    const eu = new IncidentKit(b, 'prod-eu-1');
    const us = new IncidentKit(b, 'prod-us-1');
    const week = b.start - 7 * 24 * HOUR;
    watchdogs([eu, us], week);
    b.series(
      deprecatedApiInUse(
        eu.cluster,
        'checkout',
        'checkout',
        'autoscaling/horizontalpodautoscalers',
        'v2beta2',
      ),
      b.truth('checkout-deprecated-api'),
      { from: b.start, startedAt: week + 2 * HOUR },
    );

    const db = b.truth('payments-db-saturation');
    const store = b.system.datastore('postgres-payments');
    const vm = b.system.vmOf(eu.cluster.name, store.name);
    eu.emit([datastoreAlert(eu.cluster, store, vm.ip, 'connections')], db, { from: 60, to: 118 });
    eu.emit([zabbixHost(vm, 'cpu')], db, { from: 62, to: 115 }, { jitter: 3 });
    eu.propagate(
      db,
      store.name,
      { kind: 'postgres', target: store.name, mode: 'slow', address: `${vm.ip}:5432` },
      { from: 61, to: 120 },
      { reach: [1, 0.85, 0.6] },
    );

    // the same services and the same VM, at the same time, for other reasons
    const payment = eu.pods('payment')[1];
    eu.emit([cpuThrottling(eu.workload('payment'), payment)], b.truth('payment-cpu-throttling'), {
      from: 70,
      to: 150,
    });
    eu.emit(
      [jobFailed(eu.workload('invoice'), 'invoice-monthly-export-29611440')],
      b.truth('invoice-export-job-failed'),
      { from: 85 },
    );
    const cert = {
      cluster: eu.cluster,
      domain: 'status.shop.example.com',
      name: 'status-tls',
      namespace: 'edge',
      owner: 'api-gateway',
    };
    eu.emit(
      [datadogSslCheck(cert, () => 16)],
      b.truth('status-cert-due'),
      { from: 75 },
      { startedAt: b.start - 30 * HOUR },
    );
    const logDisk = {
      cluster: eu.cluster,
      host: vm,
      onVm: true,
      device: '/dev/sdb1',
      mountpoint: '/var/log',
      sizeGb: 200,
    };
    eu.emit([zabbixDisk(logDisk, 'low', between(80.5, 84))], b.truth('payments-vm-log-disk'), {
      from: 95,
      to: 200,
    });
    const scan = b.truth('ids-postgres-port-scan');
    const probe = idsDetection(
      eu.cluster,
      'api-gateway',
      'ET SCAN Suspicious inbound to PostgreSQL port 5432',
      2010939,
      '185.220.101.47',
    );
    for (const minute of [30, 33, 41, 52, 96]) b.series(probe, scan, { from: b.at(minute) });

    const redis = b.truth('us-cart-redis-memory');
    const cartRedis = b.system.datastore('redis-cart');
    us.emit([datastoreAlert(us.cluster, cartRedis, us.pods('redis-cart')[0].ip, 'memory')], redis, {
      from: 150,
      to: 192,
    });
    us.latency(redis, 'cart', { from: 156, to: 188 });

    addBackgroundNoise(b, { perHour: 10 });
  },
};
