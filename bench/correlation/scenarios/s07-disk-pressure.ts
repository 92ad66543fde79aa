import { IncidentKit } from '../incident-kit';
import { addBackgroundNoise } from '../noise';
import { between, ramp } from '../rules/common';
import {
  type Disk,
  datadogDisk,
  datastoreAlert,
  datastoreLogAlert,
  diskFull,
  fsAlmostOutOfSpace,
  fsFillingUp,
  pvcFillingUp,
  zabbixDisk,
} from '../rules/infra-rules';
import type { Scenario } from './scenario';

export const diskPressure: Scenario = {
  id: 's07-disk-pressure',
  title: 'Disks fill up in several places at once',
  models:
    'Four disk problems in one window, each its own incident: (1) WAL archiving to S3 stalls and ' +
    'the postgres-orders VM disk fills: node-exporter (filling up, then almost out of space, ' +
    'warning then critical), Zabbix ("Disk space is low/critically low"), the data team\'s ' +
    '`DiskFull`, and at minute 52 Postgres itself ("No space left on device", PostgresqlDown) ' +
    'while its users fail writes; (2) an Elasticsearch data volume passes the flood-stage ' +
    'watermark, the cluster goes yellow and search indexing fails; (3) /var/log on a prod-us-1 ' +
    'node is almost full; (4) the log partition of the payments database VM passes 90% ' +
    '(Datadog and Zabbix). Same words, different disks, different incidents.',
  durationMinutes: 180,
  build(b) {
    const eu = new IncidentKit(b, 'prod-eu-1');
    const truth = b.truth('orders-db-disk-full');
    const store = b.system.datastore('postgres-orders');
    const vm = b.system.vmOf(eu.cluster.name, store.name);
    const disk: Disk = {
      cluster: eu.cluster,
      host: vm,
      onVm: true,
      device: '/dev/sdb1',
      mountpoint: '/var/lib/postgresql',
      sizeGb: 500,
    };
    const earlier = b.start - 95 * 60_000;
    eu.emit(
      [fsFillingUp(disk, 'warning', ramp(14, 2))],
      truth,
      { from: 0, to: 118 },
      { startedAt: earlier },
    );
    eu.emit(
      [zabbixDisk(disk, 'low', ramp(86, 99.6))],
      truth,
      { from: 0, to: 119 },
      { startedAt: earlier - 20 * 60_000 },
    );
    eu.emit([fsFillingUp(disk, 'critical', ramp(8, 0.5))], truth, { from: 20, to: 117 });
    eu.emit([fsAlmostOutOfSpace(disk, 'warning', ramp(4.9, 0.1))], truth, { from: 30, to: 118 });
    eu.emit([zabbixDisk(disk, 'critical', ramp(95, 99.9))], truth, { from: 35, to: 119 });
    eu.emit([diskFull(disk, ramp(96, 99.9))], truth, { from: 38, to: 116 });
    eu.emit([fsAlmostOutOfSpace(disk, 'critical', ramp(2.9, 0.1))], truth, { from: 45, to: 117 });
    eu.emit(
      [
        datastoreLogAlert(
          eu.cluster,
          store,
          'PostgresNoSpaceLeft',
          'no space left on device',
          'PANIC:  could not write to file "pg_wal/xlogtemp.2817": No space left on device',
        ),
      ],
      truth,
      { from: 52, to: 108 },
    );
    eu.emit([datastoreAlert(eu.cluster, store, vm.ip, 'down')], truth, { from: 55, to: 106 });
    eu.propagate(
      truth,
      store.name,
      { kind: 'postgres', target: store.name, mode: 'full' },
      { from: 53, to: 106 },
      { reach: [1, 0.8, 0.5] },
    );

    const es = b.truth('search-index-disk-watermark');
    const esStore = b.system.datastore('elasticsearch');
    const esPod = eu.pods('elasticsearch')[1];
    eu.emit(
      [pvcFillingUp(eu.cluster, 'elasticsearch', 'search', `data-${esPod.name}`, ramp(9, 3))],
      es,
      { from: 40, to: 130 },
    );
    eu.emit([datastoreAlert(eu.cluster, esStore, esPod.ip, 'disk')], es, { from: 50, to: 130 });
    eu.emit([datastoreAlert(eu.cluster, esStore, esPod.ip, 'yellow')], es, { from: 60, to: 125 });
    eu.propagate(
      es,
      'elasticsearch',
      { kind: 'elasticsearch', target: 'elasticsearch', mode: 'full' },
      { from: 62, to: 125 },
      { reach: [1] },
    );

    const us = new IncidentKit(b, 'prod-us-1');
    const logs = b.truth('us-node-var-log-full');
    const usNode = us.cluster.nodes[3];
    const usDisk: Disk = {
      cluster: us.cluster,
      host: usNode,
      onVm: false,
      device: '/dev/nvme0n1p1',
      mountpoint: '/var/log',
      sizeGb: 100,
    };
    us.emit([fsAlmostOutOfSpace(usDisk, 'warning', ramp(4.8, 3.2))], logs, { from: 70, to: 150 });

    const payments = b.truth('payments-vm-log-partition');
    const payVm = b.system.vmOf(eu.cluster.name, 'postgres-payments');
    const payDisk: Disk = {
      cluster: eu.cluster,
      host: payVm,
      onVm: true,
      device: '/dev/sda3',
      mountpoint: '/var/log',
      sizeGb: 40,
    };
    eu.emit([datadogDisk(payDisk, 'postgres-payments', between(90.2, 92.5))], payments, {
      from: 88,
      to: 150,
    });
    eu.emit([zabbixDisk(payDisk, 'low', ramp(86, 91))], payments, { from: 80, to: 152 });

    addBackgroundNoise(b, { perHour: 10 });
  },
};
