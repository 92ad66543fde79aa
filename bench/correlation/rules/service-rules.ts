import type { AlertSeverity } from '@vigil/contracts';
import type { Rng } from '../prng';
import type { ClusterModel, Engine, Language, Pod, ServiceDef } from '../system-model';
import {
  type AlertTemplate,
  type AlertText,
  type ValueFn,
  between,
  cloudwatchStamp,
  f0,
  f1,
  f2,
  f3,
  pascal,
  prometheusAlert,
  ramp,
  snake,
  stableHex,
  stableId,
} from './common';

/**
 * Service-level symptoms (latency, errors, what callers see of a failing dependency), each in the
 * wording of the team that owns the service: teams chose different tools and wrote their own
 * rules, which is exactly why one outage arrives in many vocabularies.
 */
export interface ServiceTarget {
  cluster: ClusterModel;
  service: ServiceDef;
  pods: Pod[];
}

/** What a service suffers from: the dependency it cannot use and how that dependency fails. */
export interface Fault {
  kind: Engine | 'http' | 'tls' | 'internal' | 'oom' | 'pod-lost' | 'dns';
  /** The dependency (datastore, called service, certificate domain) or the service itself. */
  target: string;
  mode: 'down' | 'slow' | 'full' | 'expired' | 'bug';
  /** host:port the client connects to, when the error text shows it. */
  address?: string;
}

export function latencyAlerts(t: ServiceTarget, r: Rng, value?: ValueFn): AlertTemplate[] {
  const v = value ?? ramp(1.5, 3.5, 0.15);
  switch (t.service.team) {
    case 'platform':
      return [ingressLatency(t, v), albAlarm(t, 'TargetResponseTime', v)];
    case 'storefront':
      return [grafanaLatency(t, v)];
    case 'checkout':
      return [slothBurn(t, 'requests-latency', v)];
    case 'payments':
      return [datadogLatency(t, v)];
    case 'catalog':
      return t.pods.slice(0, r.int(1, t.pods.length)).map((pod) => awesomeLatency(t, pod, v));
    case 'identity':
      return [newRelic(t, 'Web transaction time (High)', v)];
    default:
      return [fulfilmentLatency(t, v)];
  }
}

export function errorAlerts(
  t: ServiceTarget,
  r: Rng,
  fault?: Fault,
  value?: ValueFn,
): AlertTemplate[] {
  const v = value ?? ramp(4, 18, 0.2);
  const message = fault ? errorMessage(r, t.service.language, fault) : genericError(r, t.service);
  switch (t.service.team) {
    case 'platform':
      return [ingressErrors(t, v), albAlarm(t, 'HTTPCode_Target_5XX_Count', v)];
    case 'storefront':
      return [grafanaErrors(t, v, message)];
    case 'checkout':
      return [slothBurn(t, 'requests-availability', v)];
    case 'payments':
      return [datadogErrors(t, v, message)];
    case 'catalog':
      return t.pods.slice(0, r.int(1, t.pods.length)).map((pod) => awesomeErrors(t, pod, v));
    case 'identity':
      return [newRelic(t, 'Error percentage (High)', v, message)];
    default:
      return [fulfilmentErrors(t, v, message)];
  }
}

/**
 * Alerts a caller raises about one dependency in particular: an error-log burst (Loki, any team),
 * an exhausted connection pool (JVM services on a database), an open circuit breaker (JVM
 * services calling HTTP), a growing consumer lag (Kafka consumers).
 */
export function dependencyAlerts(t: ServiceTarget, r: Rng, fault: Fault): AlertTemplate[] {
  const out: AlertTemplate[] = [];
  if (r.chance(0.6)) out.push(errorLogBurst(t, errorMessage(r, t.service.language, fault)));
  const java = t.service.language === 'java';
  if (java && (fault.kind === 'postgres' || fault.kind === 'mongodb') && fault.mode !== 'full') {
    const pods = t.pods.slice(0, r.int(1, t.pods.length));
    out.push(...pods.map((pod) => poolExhausted(t, pod, fault.target)));
  }
  if (java && fault.kind === 'http' && r.chance(0.7))
    out.push(circuitOpen(t, t.pods[0], fault.target));
  if (fault.kind === 'kafka')
    out.push(consumerLag(t, `${t.service.name}.events`, ramp(2_000, 90_000, 0.1)));
  return out;
}

/** Error text as the service's client library prints it (one per series, like a "top error"). */
export function errorMessage(r: Rng, language: Language, fault: Fault): string {
  const address = fault.address ?? `${fault.target}:${defaultPort(fault.kind)}`;
  const choices = messages(language, fault, address);
  return r.pick(choices);
}

function defaultPort(kind: Fault['kind']): number {
  const ports: Partial<Record<Fault['kind'], number>> = {
    postgres: 5432,
    redis: 6379,
    mongodb: 27017,
    elasticsearch: 9200,
    kafka: 9092,
    tls: 443,
  };
  return ports[kind] ?? 8080;
}

// The texts below are what these clients really print; the variety is the point.
function messages(language: Language, fault: Fault, address: string): string[] {
  const { target, mode } = fault;
  const host = address.split(':')[0];
  switch (fault.kind) {
    case 'postgres':
      if (mode === 'full')
        return [
          `ERROR: could not extend file "base/16384/2613": No space left on device`,
          `PANIC: could not write to file "pg_wal/xlogtemp.4711": No space left on device`,
        ];
      if (mode === 'down')
        return {
          java: [
            `org.postgresql.util.PSQLException: Connection to ${address} refused. Check that the hostname and port are correct and that the postmaster is accepting TCP/IP connections.`,
          ],
          go: [`dial tcp ${address}: connect: connection refused`],
          node: [`Error: connect ECONNREFUSED ${address}`],
          python: [
            `psycopg2.OperationalError: could not connect to server: Connection refused. Is the server running on host "${host}" and accepting TCP/IP connections on port 5432?`,
          ],
        }[language];
      return {
        java: [
          'HikariPool-1 - Connection is not available, request timed out after 30000ms.',
          'org.postgresql.util.PSQLException: FATAL: sorry, too many clients already',
        ],
        go: [
          'pq: sorry, too many clients already',
          'pq: canceling statement due to statement timeout',
        ],
        node: [
          'KnexTimeoutError: Knex: Timeout acquiring a connection. The pool is probably full.',
        ],
        python: [
          'sqlalchemy.exc.TimeoutError: QueuePool limit of size 10 overflow 20 reached, connection timed out, timeout 30',
        ],
      }[language];
    case 'redis':
      if (mode === 'full') return [`OOM command not allowed when used memory > 'maxmemory'.`];
      if (mode === 'down')
        return {
          java: [`io.lettuce.core.RedisConnectionException: Unable to connect to ${address}`],
          go: [`dial tcp ${address}: connect: connection refused`],
          node: [`Error: connect ECONNREFUSED ${address}`],
          python: [
            `redis.exceptions.ConnectionError: Error 111 connecting to ${address}. Connection refused.`,
          ],
        }[language];
      return [
        'redis: connection pool timeout',
        'io.lettuce.core.RedisCommandTimeoutException: Command timed out after 1 second(s)',
      ];
    case 'mongodb':
      return language === 'java'
        ? ['com.mongodb.MongoTimeoutException: Timed out after 30000 ms while waiting to connect.']
        : [`pymongo.errors.ServerSelectionTimeoutError: ${address}: timed out`];
    case 'elasticsearch':
      if (mode === 'full')
        return [
          'cluster_block_exception: index [products] blocked by: [TOO_MANY_REQUESTS/12/disk usage exceeded flood-stage watermark, index has read-only-allow-delete block]',
        ];
      return [
        `elasticsearch.exceptions.ConnectionTimeout: ConnectionTimeout caused by - ReadTimeoutError(HTTPConnectionPool(host='${host}', port=9200): Read timed out. (read timeout=10))`,
        "elasticsearch.exceptions.TransportError: TransportError(503, 'search_phase_execution_exception', 'all shards failed')",
      ];
    case 'kafka':
      return {
        java: [
          'org.apache.kafka.common.errors.TimeoutException: Topic orders.v1 not present in metadata after 60000 ms.',
          'org.apache.kafka.common.errors.NotLeaderOrFollowerException: For requests intended only for the leader, this error indicates that the broker is not the current leader.',
        ],
        go: ['kafka: client has run out of available brokers to talk to'],
        node: [
          `KafkaJSConnectionError: Connection error: connect ECONNREFUSED ${address}`,
          'KafkaJSNumberOfRetriesExceeded: Request Metadata timed out',
        ],
        python: ['kafka.errors.KafkaTimeoutError: Failed to update metadata after 60.0 secs.'],
      }[language];
    case 'tls':
      return {
        java: [
          'javax.net.ssl.SSLHandshakeException: PKIX path validation failed: java.security.cert.CertPathValidatorException: validity check failed',
        ],
        go: [`Get "https://${target}/": x509: certificate has expired or is not yet valid`],
        node: [`Error: certificate has expired (CERT_HAS_EXPIRED) calling https://${target}`],
        python: [
          'ssl.SSLCertVerificationError: [SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: certificate has expired (_ssl.c:1006)',
        ],
      }[language];
    case 'oom':
      return {
        java: ['java.lang.OutOfMemoryError: Java heap space'],
        go: ['fatal error: runtime: out of memory'],
        node: ['FATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory'],
        python: ['MemoryError'],
      }[language];
    case 'dns':
      return {
        java: [`java.net.UnknownHostException: ${host}: Temporary failure in name resolution`],
        go: [`dial tcp: lookup ${host} on 172.20.0.10:53: read udp: i/o timeout`],
        node: [`Error: getaddrinfo EAI_AGAIN ${host}`],
        python: ['socket.gaierror: [Errno -3] Temporary failure in name resolution'],
      }[language];
    case 'pod-lost':
      return [
        'upstream connect error or disconnect/reset before headers. reset reason: connection termination',
        `read tcp ${address}: read: connection reset by peer`,
        'no healthy upstream',
      ];
    case 'internal':
      return {
        java: [
          `java.lang.NullPointerException: Cannot invoke "com.shop.${snake(target)}.PromotionRule.discount()" because "rule" is null`,
          `java.lang.IllegalStateException: missing configuration key ${snake(target)}.tax.provider`,
        ],
        go: ['panic: runtime error: invalid memory address or nil pointer dereference'],
        node: ["TypeError: Cannot read properties of undefined (reading 'currency')"],
        python: ["KeyError: 'shipping_zone'"],
      }[language];
    default: {
      const url = `http://${target}.svc.cluster.local:8080`;
      return {
        java: [
          `java.net.SocketTimeoutException: Read timed out (GET ${url}/v1)`,
          'io.grpc.StatusRuntimeException: UNAVAILABLE: io exception',
        ],
        go: [
          `Post "${url}/v1": context deadline exceeded (Client.Timeout exceeded while awaiting headers)`,
          'upstream connect error or disconnect/reset before headers. reset reason: connection failure',
        ],
        node: [`Error: socket hang up (${target})`, `503 Service Unavailable from ${target}`],
        python: [
          `requests.exceptions.ReadTimeout: HTTPConnectionPool(host='${target}', port=8080): Read timed out. (read timeout=5)`,
        ],
      }[language];
    }
  }
}

function genericError(r: Rng, service: ServiceDef): string {
  return errorMessage(r, service.language, { kind: 'internal', target: service.name, mode: 'bug' });
}

/** A Prometheus rule on the target's own service, in the target's cluster. */
function serviceRule(
  t: ServiceTarget,
  alertname: string,
  severity: AlertSeverity,
  labels: Record<string, string>,
  text: AlertText,
  options?: Parameters<typeof prometheusAlert>[6],
): AlertTemplate {
  return prometheusAlert(t.cluster, t.service.name, alertname, severity, labels, text, options);
}

// --- platform: ingress-nginx rules and CloudWatch alarms on the load balancer ---------------

function ingressLabels(s: ServiceDef): Record<string, string> {
  return {
    ingress: s.name,
    exported_namespace: s.namespace,
    namespace: 'ingress-nginx',
    job: 'ingress-nginx-controller-metrics',
  };
}

function ingressLatency(t: ServiceTarget, value: ValueFn): AlertTemplate {
  const s = t.service;
  return serviceRule(t, 'IngressHighLatency', 'warning', ingressLabels(s), {
    summary: () => `Ingress ${s.name} p99 latency is high`,
    description: (c) =>
      `p99 request latency of ingress ${s.namespace}/${s.name} is ${f2(c.value)}s over the last 5 minutes (threshold: 1s).`,
    value,
  });
}

function ingressErrors(t: ServiceTarget, value: ValueFn): AlertTemplate {
  const s = t.service;
  return serviceRule(t, 'IngressHigh5xxRate', 'critical', ingressLabels(s), {
    summary: () => `Ingress ${s.name} is returning 5xx responses`,
    description: (c) =>
      `${f1(c.value)}% of requests to ${s.namespace}/${s.name} fail with a 5xx status.`,
    value,
  });
}

/** CloudWatch knows nothing of Kubernetes: no cluster label, only the region and the ALB. */
function albAlarm(t: ServiceTarget, metric: string, value: ValueFn): AlertTemplate {
  const region = t.cluster.region;
  const env = t.cluster.name.replace(/-1$/, ''); // prod-eu
  const alarm = `${env}-alb-api-${metric}-high`;
  const regionName = region === 'eu-west-1' ? 'EU (Ireland)' : 'US East (N. Virginia)';
  const threshold = metric === 'TargetResponseTime' ? '1.0' : '50.0';
  const scaled: ValueFn = metric === 'TargetResponseTime' ? value : (p, r) => value(p, r) * 9;
  return {
    source: 'cloudwatch',
    alertname: alarm,
    severity: metric === 'TargetResponseTime' ? 'warning' : 'critical',
    service: t.service.name,
    labels: {
      alarm_name: alarm,
      region,
      account_id: '482113907256',
      namespace: 'AWS/ApplicationELB',
      metric_name: metric,
      load_balancer: `app/${env}-api/${stableHex(alarm, 16)}`,
    },
    summary: () => `ALARM: "${alarm}" in ${regionName}`,
    description: (c) =>
      `Threshold Crossed: 1 out of the last 1 datapoints [${f1(c.value)} (${cloudwatchStamp(c.at)})] was greater than the threshold (${threshold}) (minimum 1 datapoint for OK -> ALARM transition).`,
    value: scaled,
    generatorUrl: `https://console.aws.amazon.com/cloudwatch/home?region=${region}#alarmsV2:alarm/${alarm}`,
  };
}

// --- storefront: Grafana-managed alerts, free-text titles -----------------------------------

function grafanaLabels(
  t: ServiceTarget,
  title: string,
  severity: AlertSeverity,
): Record<string, string> {
  return {
    alertname: title,
    grafana_folder: 'Storefront',
    service: t.service.name,
    namespace: t.service.namespace,
    team: 'storefront',
    severity,
    cluster: t.cluster.name,
    rule_uid: stableHex(`${title}/${t.cluster.name}`, 14),
  };
}

function grafana(
  t: ServiceTarget,
  title: string,
  severity: AlertSeverity,
  text: Pick<AlertTemplate, 'summary' | 'description' | 'value'>,
): AlertTemplate {
  const labels = grafanaLabels(t, title, severity);
  return {
    source: 'grafana',
    alertname: title,
    severity,
    service: t.service.name,
    labels,
    ...text,
    annotations: { dashboard: `https://grafana.shop.internal/d/storefront-${t.service.name}` },
    generatorUrl: `https://grafana.shop.internal/alerting/grafana/${labels.rule_uid}/view`,
  };
}

function grafanaLatency(t: ServiceTarget, value: ValueFn): AlertTemplate {
  const s = t.service.name;
  return grafana(t, `${s} - p95 latency`, 'warning', {
    summary: (c) => `${s} p95 latency is ${f0(c.value * 1000)} ms`,
    description: () =>
      `The 95th percentile of HTTP server request duration for ${s} has been above 800 ms for 5 minutes.`,
    value,
  });
}

function grafanaErrors(t: ServiceTarget, value: ValueFn, message: string): AlertTemplate {
  const s = t.service.name;
  return grafana(t, `${s} - error ratio`, 'error', {
    summary: (c) => `${s} is failing ${f1(c.value)}% of requests`,
    description: () =>
      `More than 2% of requests to ${s} returned 5xx in the last 5m. Sample error: ${message}`,
    value,
  });
}

// --- checkout: SLO burn-rate alerts generated by Sloth ---------------------------------------

function slothBurn(
  t: ServiceTarget,
  slo: 'requests-latency' | 'requests-availability',
  value: ValueFn,
): AlertTemplate {
  const s = t.service;
  const kind = slo === 'requests-latency' ? 'Latency' : 'Availability';
  const name = `${pascal(s.name)}${kind}BudgetBurn`;
  const burn: ValueFn = (p, r) => value(p, r) * (slo === 'requests-latency' ? 4 : 1.4);
  return serviceRule(
    t,
    name,
    'critical',
    {
      sloth_id: `${s.name}-${slo}`,
      sloth_service: s.name,
      sloth_slo: slo,
      sloth_severity: 'page',
      namespace: s.namespace,
    },
    {
      summary: () => `${s.name} ${slo} SLO error budget burn rate is over expected.`,
      description: (c) =>
        `(page) ${s.name} ${slo} SLO error budget burn rate is too fast: ${f1(c.value)}x over the 5m and 1h windows.`,
      value: burn,
    },
    { expr: `slo:sli_error:ratio_rate5m{sloth_id="${s.name}-${slo}"} > (14.4 * 0.001)` },
  );
}

// --- payments: Datadog monitors ---------------------------------------------------------------

function datadog(
  t: ServiceTarget,
  monitor: string,
  priority: 'P1' | 'P2' | 'P3',
  text: Pick<AlertTemplate, 'summary' | 'description' | 'value'>,
): AlertTemplate {
  const id = stableId(`${monitor}/${t.cluster.name}`);
  return {
    source: 'datadog',
    alertname: monitor,
    severity: priority === 'P1' ? 'critical' : priority === 'P2' ? 'error' : 'warning',
    service: t.service.name,
    labels: {
      monitor_id: id,
      service: t.service.name,
      env: 'prod',
      cluster: t.cluster.name,
      team: t.service.team,
      priority,
    },
    ...text,
    generatorUrl: `https://app.datadoghq.eu/monitors/${id}`,
  };
}

function datadogLatency(t: ServiceTarget, value: ValueFn): AlertTemplate {
  const s = t.service.name;
  return datadog(t, `[P2] ${s} p95 latency above 500ms`, 'P2', {
    summary: (c) => `${s} latency is high: p95 = ${f0(c.value * 1000)} ms`,
    description: (c) =>
      `p95:trace.http.request{service:${s},env:prod} was > 0.5 on average during the last 5m. Value: ${f3(c.value)}. @pagerduty-payments`,
    value,
  });
}

function datadogErrors(t: ServiceTarget, value: ValueFn, message: string): AlertTemplate {
  const s = t.service.name;
  return datadog(t, `[P1] ${s} error rate above 2%`, 'P1', {
    summary: (c) => `Error rate for service:${s} env:prod is ${f1(c.value)}%`,
    description: () =>
      `Errors on ${s} exceeded 2% of hits over the last 5m. Top error: ${message} @pagerduty-payments`,
    value,
  });
}

// --- catalog: community rules (awesome-prometheus-alerts), one alert per pod ---------------

/** An HTTP rule of the pack, one alert per pod; the description ends with the pod's labels. */
function awesomeHttp(
  t: ServiceTarget,
  pod: Pod,
  alertname: string,
  severity: AlertSeverity,
  text: { summary: string; description: (value: number) => string; value: ValueFn },
): AlertTemplate {
  const s = t.service;
  return serviceRule(
    t,
    alertname,
    severity,
    {
      instance: `${pod.ip}:8080`,
      pod: pod.name,
      job: s.name,
      namespace: s.namespace,
      service: s.name,
    },
    {
      summary: () => `${text.summary} (instance ${pod.ip}:8080)`,
      description: (c) =>
        `${text.description(c.value)}\n  LABELS = map[job:${s.name} namespace:${s.namespace} pod:${pod.name}]`,
      value: text.value,
    },
  );
}

function awesomeLatency(t: ServiceTarget, pod: Pod, value: ValueFn): AlertTemplate {
  return awesomeHttp(t, pod, 'HttpSlowRequests', 'warning', {
    summary: 'HTTP slow requests',
    description: (v) => `HTTP request latency is above 1s\n  VALUE = ${f3(v)}`,
    value,
  });
}

function awesomeErrors(t: ServiceTarget, pod: Pod, value: ValueFn): AlertTemplate {
  return awesomeHttp(t, pod, 'HttpHighErrorRate', 'error', {
    summary: 'Too many HTTP 5xx',
    description: (v) => `HTTP 5xx error ratio is above 2%\n  VALUE = ${f2(v)}`,
    value,
  });
}

// --- identity: New Relic alert conditions -------------------------------------------------------

function newRelic(
  t: ServiceTarget,
  condition: string,
  value: ValueFn,
  message?: string,
): AlertTemplate {
  const s = t.service.name;
  const entity = `${s}-${t.cluster.name}`;
  const latency = condition.startsWith('Web transaction');
  return {
    source: 'newrelic',
    alertname: `${entity}: ${condition}`,
    severity: latency ? 'warning' : 'critical',
    service: s,
    labels: {
      policy_name: 'Identity - production',
      condition_name: condition,
      entity_name: entity,
      cluster: t.cluster.name,
      service: s,
    },
    summary: () =>
      latency
        ? `Web transaction time > 1.2 s for at least 5 minutes on '${entity}'`
        : `Error percentage > 3% for at least 5 minutes on '${entity}'`,
    description: (c) =>
      latency
        ? `Average web transaction time of ${entity} is ${f2(c.value)} s (threshold 1.2 s).`
        : `Error percentage of ${entity} is ${f1(c.value)}%. Most frequent error: ${message ?? 'n/a'}`,
    value,
    generatorUrl: `https://one.newrelic.com/alerts-ai/issues?entity=${stableHex(entity, 20)}`,
  };
}

// --- fulfilment: hand-written rules, snake_case names ---------------------------------------

function fulfilmentLabels(s: ServiceDef): Record<string, string> {
  return { service: s.name, namespace: s.namespace, team: 'fulfilment' };
}

function fulfilmentLatency(t: ServiceTarget, value: ValueFn): AlertTemplate {
  const s = t.service;
  return serviceRule(t, `${snake(s.name)}_p99_latency_high`, 'warning', fulfilmentLabels(s), {
    summary: () => `${s.name} is slow`,
    description: (c) =>
      `p99 latency ${f0(c.value * 1000)}ms > 1000ms for 10m on ${s.name} (see the fulfilment runbook)`,
    value,
  });
}

function fulfilmentErrors(t: ServiceTarget, value: ValueFn, message: string): AlertTemplate {
  const s = t.service;
  return serviceRule(t, `${snake(s.name)}_errors`, 'error', fulfilmentLabels(s), {
    summary: () => `${s.name} errors increasing`,
    description: (c) => `${f1(c.value)} errors/s on ${s.name}: ${message}`,
    value,
  });
}

// --- rules every team gets from the platform rule packs --------------------------------------

export function errorLogBurst(t: ServiceTarget, message: string): AlertTemplate {
  const s = t.service;
  return serviceRule(
    t,
    'HighErrorLogRate',
    'warning',
    {
      app: s.name,
      namespace: s.namespace,
    },
    {
      summary: (c) => `${s.name} logs ${f0(c.value)} errors per minute`,
      description: () => `Most frequent error in the last 5 minutes: ${message}`,
      value: between(40, 400),
    },
    {
      source: 'loki',
      expr: `sum by (app) (count_over_time({app="${s.name}"} |= "ERROR" [1m])) > 30`,
    },
  );
}

function poolExhausted(t: ServiceTarget, pod: Pod, database: string): AlertTemplate {
  const s = t.service;
  return serviceRule(
    t,
    'DatabaseConnectionPoolExhausted',
    'error',
    {
      pool: 'HikariPool-1',
      pod: pod.name,
      namespace: s.namespace,
      service: s.name,
      job: s.name,
    },
    {
      summary: () => `Connection pool to ${database} exhausted on ${s.name}`,
      description: (c) =>
        `${f0(c.value)} threads waiting for a connection (hikaricp_connections_pending) on ${pod.name}`,
      value: ramp(20, 120, 0.1),
    },
  );
}

function circuitOpen(t: ServiceTarget, pod: Pod, upstream: string): AlertTemplate {
  const s = t.service;
  return serviceRule(
    t,
    'CircuitBreakerOpen',
    'warning',
    {
      name: upstream,
      pod: pod.name,
      namespace: s.namespace,
      service: s.name,
    },
    {
      summary: () => `Circuit breaker ${upstream} is OPEN on ${s.name}`,
      description: () =>
        `resilience4j_circuitbreaker_state{name="${upstream}",state="open"} == 1 on ${pod.name}; calls are short-circuited.`,
      value: () => 1,
    },
  );
}

export function consumerLag(t: ServiceTarget, topic: string, value: ValueFn): AlertTemplate {
  const s = t.service;
  return serviceRule(
    t,
    'KafkaConsumersGroupLag',
    'warning',
    {
      consumergroup: s.name,
      topic,
      namespace: 'messaging',
      job: 'kafka-exporter',
      service: 'kafka-exporter',
    },
    {
      summary: () => `Kafka consumers group lag (instance kafka-exporter:9308)`,
      description: (c) =>
        `Consumer group ${s.name} is lagging behind on ${topic}\n  VALUE = ${f0(c.value)}`,
      value,
    },
  );
}
