import type { AlertSeverity } from '@vigil/contracts';
import type { ClusterModel, DatastoreDef, NodeDef } from '../system-model';
import {
  type AlertTemplate,
  type ValueFn,
  between,
  clock,
  f0,
  f1,
  f2,
  kubeRunbook,
  prometheusAlert,
  ramp,
  stableId,
  steady,
  zabbixDate,
} from './common';
import { nodeAlert } from './kubernetes-rules';

/**
 * Disks, database VMs, datastores and certificates. The same full disk is reported by
 * node-exporter, by the legacy Zabbix that still watches the database VMs, by a hand-written
 * `DiskFull` rule, by Datadog on the payments VM and by the database's own logs: five
 * vocabularies for one fact.
 */
export interface Disk {
  cluster: ClusterModel;
  host: NodeDef;
  /** Database VM (Zabbix and node-exporter on the VM) or Kubernetes node. */
  onVm: boolean;
  device: string;
  mountpoint: string;
  sizeGb: number;
}

/** node-exporter's filesystem rule; value = % available. */
export function fsAlmostOutOfSpace(
  d: Disk,
  severity: 'warning' | 'critical',
  value: ValueFn,
): AlertTemplate {
  const limit = severity === 'warning' ? 5 : 3;
  return diskNodeAlert(d, 'NodeFilesystemAlmostOutOfSpace', severity, {
    summary: () => `Filesystem has less than ${limit}% space left.`,
    description: (c) =>
      `Filesystem on ${d.device}, mounted on ${d.mountpoint}, at ${instanceOf(d)} has only ${f2(c.value)}% available space left.`,
    value,
  });
}

export function fsFillingUp(
  d: Disk,
  severity: 'warning' | 'critical',
  value: ValueFn,
): AlertTemplate {
  const hours = severity === 'warning' ? '24 hours' : '4 hours';
  return diskNodeAlert(d, 'NodeFilesystemSpaceFillingUp', severity, {
    summary: () => `Filesystem is predicted to run out of space within the next ${hours}.`,
    description: (c) =>
      `Filesystem on ${d.device}, mounted on ${d.mountpoint}, at ${instanceOf(d)} has only ${f2(c.value)}% available space left and is filling up.`,
    value,
  });
}

function instanceOf(d: Disk): string {
  return d.onVm ? `${d.host.name}:9100` : d.host.name;
}

function diskNodeAlert(
  d: Disk,
  alertname: string,
  severity: AlertSeverity,
  text: Pick<AlertTemplate, 'summary' | 'description' | 'value'>,
): AlertTemplate {
  const fs = { device: d.device, mountpoint: d.mountpoint, fstype: 'ext4' };
  if (!d.onVm) return nodeAlert(d.cluster, d.host, alertname, severity, fs, text);
  return prometheusAlert(
    d.cluster,
    d.host.name,
    alertname,
    severity,
    {
      ...fs,
      instance: instanceOf(d),
      job: 'node-exporter-vms',
    },
    text,
    { runbook: kubeRunbook(alertname, 'node') },
  );
}

/** The data team's own rule, older than the mixin; value = % used. */
export function diskFull(d: Disk, value: ValueFn): AlertTemplate {
  return prometheusAlert(
    d.cluster,
    d.host.name,
    'DiskFull',
    'critical',
    {
      instance: instanceOf(d),
      mountpoint: d.mountpoint,
      team: 'data',
    },
    {
      summary: () => `Disk almost full on ${d.host.name}`,
      description: (c) =>
        `${d.mountpoint} is ${f1(c.value)}% full (${f0((d.sizeGb * c.value) / 100)}G of ${d.sizeGb}G)`,
      value,
    },
  );
}

/** A Datadog monitor the payments team put on its database VM; value = % used. */
export function datadogDisk(d: Disk, owner: string, value: ValueFn): AlertTemplate {
  const monitor = `[P2] disk usage > 90% on ${d.mountpoint}`;
  const id = stableId(`${monitor}/${d.host.name}`);
  return {
    source: 'datadog',
    alertname: monitor,
    severity: 'error',
    service: d.host.name,
    labels: {
      monitor_id: id,
      host: d.host.name,
      device: d.device,
      env: 'prod',
      team: 'payments',
      service: owner,
    },
    summary: (c) => `Disk usage is ${f1(c.value)}% on host:${d.host.name}`,
    description: (c) =>
      `system.disk.in_use{device:${d.device},host:${d.host.name}} was > 0.9 during the last 10m. Value: ${f2(c.value / 100)} @slack-payments-alerts`,
    value,
    generatorUrl: `https://app.datadoghq.eu/monitors/${id}`,
  };
}

/** Zabbix problems on the database VMs, in Zabbix's own message format. */
export function zabbixProblem(
  host: NodeDef,
  problem: string,
  level: 'Disaster' | 'High' | 'Average' | 'Warning',
  operational: (value: number) => string,
  value: ValueFn,
): AlertTemplate {
  const eventId = stableId(`${problem}/${host.name}`, 7);
  return {
    source: 'zabbix',
    alertname: problem,
    severity: level === 'Disaster' ? 'critical' : level === 'High' ? 'error' : 'warning',
    service: host.name,
    labels: {
      host: host.name,
      hostgroup: 'Linux servers/Databases',
      trigger_id: stableId(`trigger/${problem}`, 5),
      zabbix_severity: level,
    },
    summary: () => problem,
    description: (c) =>
      `Problem started at ${clock(c.startedAt)} on ${zabbixDate(c.startedAt)}\nProblem name: ${problem}\nHost: ${host.name}\nSeverity: ${level}\nOperational data: ${operational(c.value)}\nOriginal problem ID: ${eventId}`,
    value,
    generatorUrl: `https://zabbix.shop.internal/tr_events.php?triggerid=${stableId(`trigger/${problem}`, 5)}&eventid=${eventId}`,
  };
}

export function zabbixDisk(d: Disk, level: 'critical' | 'low', value: ValueFn): AlertTemplate {
  const problem =
    level === 'critical'
      ? `${d.mountpoint}: Disk space is critically low (used > 90%)`
      : `${d.mountpoint}: Disk space is low (used > 80%)`;
  return zabbixProblem(
    d.host,
    problem,
    level === 'critical' ? 'High' : 'Warning',
    (v) => `Space used: ${f1((d.sizeGb * v) / 100)}G of ${d.sizeGb}G (${f2(v)} %)`,
    value,
  );
}

export function zabbixHost(
  host: NodeDef,
  which: 'cpu' | 'memory' | 'ping' | 'agent' | 'load',
  value?: ValueFn,
): AlertTemplate {
  switch (which) {
    case 'cpu':
      return zabbixProblem(
        host,
        'High CPU utilization (over 90% for 5m)',
        'Warning',
        (v) => `Current utilization: ${f1(v)} %`,
        value ?? between(91, 99),
      );
    case 'memory':
      return zabbixProblem(
        host,
        'High memory utilization (>90% for 5m)',
        'Average',
        (v) => `Used: ${f1(v)} %`,
        value ?? between(90, 97),
      );
    case 'load':
      return zabbixProblem(
        host,
        'Load average is too high (per CPU load over 1.5 for 5m)',
        'Average',
        (v) => `Load averages(1m 5m 15m): (${f2(v)} ${f2(v * 0.8)} ${f2(v * 0.6)}), # of CPUs: 8`,
        value ?? between(12, 30),
      );
    case 'ping':
      return zabbixProblem(
        host,
        'Unavailable by ICMP ping',
        'High',
        () => 'Down (0)',
        () => 0,
      );
    default:
      return zabbixProblem(
        host,
        'Zabbix agent is not available (for 3m)',
        'Average',
        () => 'not available (0)',
        () => 0,
      );
  }
}

export function pvcFillingUp(
  cluster: ClusterModel,
  workload: string,
  namespace: string,
  pvc: string,
  value: ValueFn,
): AlertTemplate {
  return prometheusAlert(
    cluster,
    workload,
    'KubePersistentVolumeFillingUp',
    'warning',
    {
      namespace,
      persistentvolumeclaim: pvc,
      job: 'kubelet',
      metrics_path: '/metrics',
      service: 'kubelet',
    },
    {
      summary: () => 'PersistentVolume is filling up.',
      description: (c) =>
        `The PersistentVolume claimed by ${pvc} in Namespace ${namespace} on Cluster ${cluster.name} is only ${f2(c.value)}% free.`,
      value,
    },
    { runbook: kubeRunbook('KubePersistentVolumeFillingUp') },
  );
}

/** A Loki rule on a datastore's own logs. */
export function datastoreLogAlert(
  cluster: ClusterModel,
  store: DatastoreDef,
  alertname: string,
  summary: string,
  line: string,
): AlertTemplate {
  return prometheusAlert(
    cluster,
    store.name,
    alertname,
    'error',
    {
      app: store.name,
      namespace: store.namespace,
    },
    {
      summary: () => summary,
      description: (c) => `${f0(c.value)} matching lines in the last 5m, latest: ${line}`,
      value: between(3, 60),
    },
    {
      source: 'loki',
      expr: `count_over_time({app="${store.name}"} |= "${line.slice(0, 24)}" [5m]) > 0`,
    },
  );
}

// --- datastores: exporter rules (awesome-prometheus-alerts, Strimzi) --------------------------

export type DatastoreSymptom =
  | 'down'
  | 'connections'
  | 'locks'
  | 'replication'
  | 'memory'
  | 'rejected'
  | 'under-replicated'
  | 'offline-partitions'
  | 'red'
  | 'yellow'
  | 'heap'
  | 'disk'
  | 'unhealthy'
  | 'rollback';

interface SymptomText {
  alertname: string;
  severity: AlertSeverity;
  summary: string;
  description: (value: number) => string;
  value: ValueFn;
}

export function datastoreAlert(
  cluster: ClusterModel,
  store: DatastoreDef,
  exporterIp: string,
  symptom: DatastoreSymptom,
  value?: ValueFn,
): AlertTemplate {
  const t = symptomText(store, symptom);
  const instance = `${exporterIp}:${exporterPort(store)}`;
  return prometheusAlert(
    cluster,
    store.name,
    t.alertname,
    t.severity,
    {
      instance,
      job: `${store.engine}-exporter`,
      namespace: store.namespace,
      ...(store.engine === 'postgres'
        ? { server: `${store.name}.${store.namespace}.svc:5432` }
        : {}),
    },
    {
      summary: () => t.summary.replace('{instance}', instance),
      description: (c) => t.description(c.value),
      value: value ?? t.value,
    },
  );
}

function exporterPort(store: DatastoreDef): number {
  return { postgres: 9187, redis: 9121, mongodb: 9216, elasticsearch: 9114, kafka: 9404 }[
    store.engine
  ];
}

const V = (v: number): string => `\n  VALUE = ${f2(v)}`;

function symptomText(store: DatastoreDef, symptom: DatastoreSymptom): SymptomText {
  const name = store.name;
  const table: Record<string, Partial<Record<DatastoreSymptom, SymptomText>>> = {
    postgres: {
      down: {
        alertname: 'PostgresqlDown',
        severity: 'critical',
        summary: 'Postgresql down (instance {instance})',
        description: (v) => `Postgresql instance is down${V(v)}`,
        value: () => 0,
      },
      connections: {
        alertname: 'PostgresqlTooManyConnections',
        severity: 'warning',
        summary: 'Postgresql too many connections (instance {instance})',
        description: (v) => `PostgreSQL instance has too many connections (> 80%).${V(v)}`,
        value: ramp(82, 99),
      },
      locks: {
        alertname: 'PostgresqlTooManyLocksAcquired',
        severity: 'critical',
        summary: 'Postgresql too many locks acquired (instance {instance})',
        description: (v) =>
          `Too many locks acquired on the database. If this alert happens frequently, we may need to increase the postgres setting max_locks_per_transaction.${V(v)}`,
        value: ramp(0.21, 0.6),
      },
      replication: {
        alertname: 'PostgresqlReplicationLag',
        severity: 'critical',
        summary: 'Postgresql replication lag (instance {instance})',
        description: (v) => `PostgreSQL replication lag is going up (> 30s)${V(v)}`,
        value: ramp(35, 400),
      },
      rollback: {
        alertname: 'PostgresqlHighRollbackRate',
        severity: 'warning',
        summary: 'Postgresql high rollback rate (instance {instance})',
        description: (v) =>
          `Ratio of transactions being aborted compared to committed is > 2 %${V(v)}`,
        value: between(0.021, 0.08),
      },
    },
    redis: {
      down: {
        alertname: 'RedisDown',
        severity: 'critical',
        summary: 'Redis down (instance {instance})',
        description: (v) => `Redis instance is down${V(v)}`,
        value: () => 0,
      },
      memory: {
        alertname: 'RedisOutOfConfiguredMaxmemory',
        severity: 'warning',
        summary: 'Redis out of configured maxmemory (instance {instance})',
        description: (v) => `Redis is running out of configured maxmemory (> 90%)${V(v)}`,
        value: ramp(90.5, 99.9, 0.002),
      },
      rejected: {
        alertname: 'RedisRejectedConnections',
        severity: 'critical',
        summary: 'Redis rejected connections (instance {instance})',
        description: (v) => `Some connections to Redis has been rejected${V(v)}`,
        value: between(1, 60),
      },
      connections: {
        alertname: 'RedisTooManyConnections',
        severity: 'warning',
        summary: 'Redis too many connections (instance {instance})',
        description: (v) => `Redis is running out of connections (> 90% used)${V(v)}`,
        value: between(91, 99),
      },
    },
    kafka: {
      'under-replicated': {
        alertname: 'UnderReplicatedPartitions',
        severity: 'warning',
        summary: 'Kafka under replicated partitions',
        description: (v) => `There are ${f0(v)} under replicated partitions on ${name}-1`,
        value: steady(48, 0.1),
      },
      'offline-partitions': {
        alertname: 'OfflinePartitions',
        severity: 'critical',
        summary: 'Kafka offline partitions',
        description: (v) => `One or more partitions have no leader (${f0(v)} offline)`,
        value: steady(12, 0.2),
      },
      down: {
        alertname: 'KafkaBrokerContainersDown',
        severity: 'critical',
        summary: 'All `kafka` containers down or in CrashLookBackOff status',
        description: () =>
          `All kafka containers have been down or in CrashLookBackOff status for 3 minutes`,
        value: () => 0,
      },
      memory: {
        alertname: 'KafkaRunningOutOfSpace',
        severity: 'warning',
        summary: 'Kafka is running out of free disk space',
        description: (v) => `There are only ${f2(v)} GiB free on data-${name}-0`,
        value: ramp(40, 4),
      },
    },
    elasticsearch: {
      red: {
        alertname: 'ElasticsearchClusterRed',
        severity: 'critical',
        summary: 'Elasticsearch Cluster Red (instance {instance})',
        description: (v) => `Elastic Cluster Red status${V(v)}`,
        value: () => 1,
      },
      yellow: {
        alertname: 'ElasticsearchClusterYellow',
        severity: 'warning',
        summary: 'Elasticsearch Cluster Yellow (instance {instance})',
        description: (v) => `Elastic Cluster Yellow status${V(v)}`,
        value: () => 1,
      },
      heap: {
        alertname: 'ElasticsearchHeapUsageTooHigh',
        severity: 'critical',
        summary: 'Elasticsearch Heap Usage Too High (instance {instance})',
        description: (v) => `The heap usage is over 90%${V(v)}`,
        value: between(90.2, 97),
      },
      disk: {
        alertname: 'ElasticsearchDiskOutOfSpace',
        severity: 'critical',
        summary: 'Elasticsearch disk out of space (instance {instance})',
        description: (v) => `The disk usage is over 90%${V(v)}`,
        value: ramp(90.1, 95.5, 0.002),
      },
    },
    mongodb: {
      down: {
        alertname: 'MongodbDown',
        severity: 'critical',
        summary: 'MongoDB Down (instance {instance})',
        description: (v) => `MongoDB instance is down${V(v)}`,
        value: () => 0,
      },
      unhealthy: {
        alertname: 'MongodbReplicaMemberUnhealthy',
        severity: 'critical',
        summary: 'Mongodb replica member unhealthy (instance {instance})',
        description: (v) => `MongoDB replica member is not healthy${V(v)}`,
        value: () => 0,
      },
    },
  };
  const found = table[store.engine]?.[symptom];
  if (!found) throw new Error(`no ${symptom} rule for ${store.engine}`);
  return found;
}

export function backupFailed(cluster: ClusterModel, store: DatastoreDef): AlertTemplate {
  return prometheusAlert(
    cluster,
    store.name,
    'PostgresBackupFailed',
    'warning',
    {
      namespace: store.namespace,
      database: store.name,
      team: 'data',
    },
    {
      summary: () => `Nightly base backup of ${store.name} failed`,
      description: () =>
        `wal-g backup-push exited with code 1: upload to s3://shop-db-backups/${store.name} failed: RequestTimeout`,
      value: () => 1,
    },
  );
}

// --- certificates ------------------------------------------------------------------------------

export interface Certificate {
  cluster: ClusterModel;
  /** DNS name it covers, e.g. api.shop.example.com or payment.payments.svc. */
  domain: string;
  /** cert-manager Certificate / secret name. */
  name: string;
  namespace: string;
  /** The service that serves it. */
  owner: string;
}

/** Blackbox exporter probing the endpoint; value = days left. */
export function sslExpiringSoon(c: Certificate, value: ValueFn): AlertTemplate {
  return prometheusAlert(
    c.cluster,
    c.owner,
    'BlackboxSslCertificateWillExpireSoon',
    'warning',
    {
      instance: `https://${c.domain}`,
      job: 'blackbox-https',
      namespace: 'monitoring',
    },
    {
      summary: () => `Blackbox SSL certificate will expire soon (instance https://${c.domain})`,
      description: (x) =>
        `SSL certificate expires in less than 20 days\n  VALUE = ${f0(x.value * 86400)}`,
      value,
    },
  );
}

export function certManagerExpirySoon(c: Certificate, value: ValueFn): AlertTemplate {
  return prometheusAlert(
    c.cluster,
    c.owner,
    'CertManagerCertExpirySoon',
    'warning',
    {
      name: c.name,
      exported_namespace: c.namespace,
      namespace: 'cert-manager',
      job: 'cert-manager',
      condition: 'False',
    },
    {
      summary: (x) =>
        `The cert \`${c.name}\` is ${f0(x.value)} days from expiry, it should have renewed over a week ago.`,
      description: (x) =>
        `The domain that this cert covers will be unavailable after ${f0(x.value)}d. Clients using endpoints that this cert protects will start to fail in ${f0(x.value)}d.`,
      value,
    },
    {
      runbook:
        'https://gitlab.com/uneeq-oss/cert-manager-mixin/-/blob/master/RUNBOOK.md#certmanagercertexpirysoon',
    },
  );
}

export function certManagerNotReady(c: Certificate): AlertTemplate {
  return prometheusAlert(
    c.cluster,
    c.owner,
    'CertManagerCertNotReady',
    'critical',
    {
      name: c.name,
      exported_namespace: c.namespace,
      namespace: 'cert-manager',
      job: 'cert-manager',
      condition: 'False',
    },
    {
      summary: () => `The cert \`${c.name}\` is not ready to serve traffic.`,
      description: () =>
        'This certificate has not been ready to serve traffic for at least 10m. If the cert is being renewed or there is another valid cert, the ingress controller _may_ be able to serve that instead.',
      value: () => 0,
    },
  );
}

/** x509-certificate-exporter, which reads the secrets themselves. */
export function x509Renewal(c: Certificate, expired: boolean): AlertTemplate {
  const alertname = expired ? 'CertificateExpiration' : 'CertificateRenewal';
  return prometheusAlert(
    c.cluster,
    c.owner,
    alertname,
    expired ? 'critical' : 'warning',
    {
      subject_CN: c.domain,
      issuer_CN: c.domain.endsWith('.svc') ? 'shop-internal-ca' : 'R11',
      secret_name: c.name,
      secret_namespace: c.namespace,
      secret_key: 'tls.crt',
      job: 'x509-certificate-exporter',
      namespace: 'monitoring',
    },
    {
      summary: () => (expired ? 'Certificate is about to expire' : 'Certificate should be renewed'),
      description: () =>
        expired
          ? `Certificate for "${c.domain}" is about to expire after the ${c.namespace}/${c.name} secret`
          : `Certificate for "${c.domain}" should be renewed`,
      value: () => 1,
    },
  );
}

export function datadogSslCheck(c: Certificate, value: ValueFn): AlertTemplate {
  const monitor = `[P3] SSL certificate for ${c.domain} expires soon`;
  const id = stableId(`${monitor}/${c.cluster.name}`);
  return {
    source: 'datadog',
    alertname: monitor,
    severity: 'warning',
    service: c.owner,
    labels: {
      monitor_id: id,
      url: `https://${c.domain}`,
      env: 'prod',
      cluster: c.cluster.name,
      priority: 'P3',
    },
    summary: (x) => `SSL certificate for ${c.domain} expires in ${f0(x.value)} days`,
    description: (x) =>
      `http.ssl.days_left{url:https://${c.domain}} = ${f0(x.value)} (warning threshold 14) @slack-platform`,
    value,
    generatorUrl: `https://app.datadoghq.eu/monitors/${id}`,
  };
}

export function probeFailed(cluster: ClusterModel, url: string, owner: string): AlertTemplate {
  return prometheusAlert(
    cluster,
    owner,
    'BlackboxProbeFailed',
    'critical',
    {
      instance: url,
      job: 'blackbox-https',
      namespace: 'monitoring',
    },
    {
      summary: () => `Blackbox probe failed (instance ${url})`,
      description: () => 'Probe failed\n  VALUE = 0',
      value: () => 0,
    },
  );
}

export function probeSlow(cluster: ClusterModel, url: string, owner: string): AlertTemplate {
  return prometheusAlert(
    cluster,
    owner,
    'BlackboxProbeSlowHttp',
    'warning',
    {
      instance: url,
      job: 'blackbox-https',
      namespace: 'monitoring',
    },
    {
      summary: () => `Blackbox slow HTTP (instance ${url})`,
      description: (c) => `HTTP request took more than 1s\n  VALUE = ${f2(c.value)}`,
      value: between(1.05, 3),
    },
  );
}

export function jvmHeapHigh(
  cluster: ClusterModel,
  service: string,
  namespace: string,
  pod: string,
  value: ValueFn,
): AlertTemplate {
  return prometheusAlert(
    cluster,
    service,
    'JvmHeapUsageHigh',
    'warning',
    {
      area: 'heap',
      pod,
      namespace,
      service,
      job: service,
    },
    {
      summary: () => `JVM heap usage of ${service} above 90%`,
      description: (c) =>
        `jvm_memory_used_bytes{area="heap"} is ${f1(c.value)}% of max on ${pod}; GC time is rising`,
      value,
    },
  );
}
