import { IncidentKit } from '../incident-kit';
import { addBackgroundNoise } from '../noise';
import { datastoreAlert, datastoreLogAlert, zabbixHost } from '../rules/infra-rules';
import type { Scenario } from './scenario';

export const dbSaturation: Scenario = {
  id: 's01-db-saturation',
  title: 'Failing dependency: the orders database saturates',
  models:
    'A runaway reporting query holds locks on postgres-orders (prod-eu-1) for ~55 minutes. The ' +
    'database alerts (too many connections, locks; Zabbix CPU and load on its VM; lock-timeout ' +
    'log lines), every service using it alerts in its own words (Hikari pool exhaustion, "too ' +
    'many clients", Knex timeouts), and callers further up raise SLO burn, 5xx and latency alerts ' +
    '(a CloudWatch ALB alarm among them): one incident. Meanwhile in prod-us-1 the session Redis ' +
    'runs near maxmemory and auth slows down there: a second, unrelated incident.',
  durationMinutes: 210,
  build(b) {
    const eu = new IncidentKit(b, 'prod-eu-1');
    const truth = b.truth('orders-db-saturation');
    const store = b.system.datastore('postgres-orders');
    const vm = b.system.vmOf(eu.cluster.name, store.name);
    eu.emit([datastoreAlert(eu.cluster, store, vm.ip, 'connections')], truth, { from: 40, to: 95 });
    eu.emit([datastoreAlert(eu.cluster, store, vm.ip, 'locks')], truth, { from: 42, to: 90 });
    eu.emit(
      [zabbixHost(vm, 'cpu'), zabbixHost(vm, 'load')],
      truth,
      { from: 41, to: 92 },
      { jitter: 4 },
    );
    eu.emit(
      [
        datastoreLogAlert(
          eu.cluster,
          store,
          'PostgresLockTimeouts',
          'postgres-orders is logging lock timeouts',
          'ERROR:  canceling statement due to lock timeout',
        ),
      ],
      truth,
      { from: 44, to: 93 },
    );
    eu.propagate(
      truth,
      store.name,
      { kind: 'postgres', target: store.name, mode: 'slow', address: `${vm.ip}:5432` },
      { from: 41, to: 95 },
      { reach: [1, 0.85, 0.6] },
    );

    const us = new IncidentKit(b, 'prod-us-1');
    const session = b.truth('us-session-cache-memory');
    const redis = b.system.datastore('redis-session');
    us.emit(
      [datastoreAlert(us.cluster, redis, us.pods('redis-session')[0].ip, 'memory')],
      session,
      { from: 70, to: 112 },
    );
    us.latency(session, 'auth', { from: 78, to: 108 });

    addBackgroundNoise(b, { perHour: 12 });
  },
};
