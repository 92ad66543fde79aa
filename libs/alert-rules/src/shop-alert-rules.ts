/**
 * The alert rules of the demo shop.
 *
 * Every shop service publishes a `MetricBatch` (`vigil.metrics.v1`) every few seconds with its
 * `service` and `instance` set and these samples, named exactly so:
 *
 * | metric                              | kind  | labels               | meaning                                    |
 * | ----------------------------------- | ----- | -------------------- | ------------------------------------------ |
 * | `http_requests_per_second`          | gauge |                      | requests served, over the last 10 s        |
 * | `http_error_ratio`                  | gauge |                      | share of those answered 5xx, 0..1          |
 * | `http_request_duration_p99_ms`      | gauge | (optionally `route`) | p99 latency of recent requests, in ms      |
 * | `process_cpu_ratio`                 | gauge |                      | CPU used, 0..1 of one core                 |
 * | `process_resident_memory_bytes`     | gauge |                      | resident set size                          |
 * | `nodejs_eventloop_lag_mean_seconds` | gauge |                      | mean event loop delay since the last batch |
 * | `up`                                | gauge |                      | 1 while the instance is healthy, else 0    |
 *
 * Gauges rather than counters: the same series feed root-cause analysis, which compares levels
 * with their baseline (a counter only ever grows). A service that stops publishing altogether is
 * caught by `TargetDown`, so the other rules do not need to.
 */
import { type AlertRule, minutes, type RangeExpr, seconds } from './alert-rule';
import { formatValue } from './value-format';
import { shopServices } from '@vigil/demo-shop';

/** The shop's services; `TargetDown` fires for any of them that never reports at all. */
export const shopServiceNames: readonly string[] = shopServices.map((s) => s.name);

export const shopMetrics = {
  requests: 'http_requests_per_second',
  errorRatio: 'http_error_ratio',
  latencyP99: 'http_request_duration_p99_ms',
  cpu: 'process_cpu_ratio',
  memory: 'process_resident_memory_bytes',
  eventLoopLag: 'nodejs_eventloop_lag_mean_seconds',
  up: 'up',
} as const;

/** The numbers behind the rules, for the fault injector to aim past and the docs to quote. */
export const shopAlertThresholds = {
  errorRatio: 0.05,
  latencyP99Ms: 500,
  cpuRatio: 0.9,
  eventLoopLagSeconds: 0.05,
  memoryBytes: 512 * 1024 * 1024,
  memoryGrowthBytesPerSecond: 1024 * 1024,
  staleAfterMs: seconds(10),
} as const;

/** The thresholds as the descriptions quote them, so the text cannot drift from the rule. */
const shown = {
  errorRatio: formatValue(shopAlertThresholds.errorRatio, 'ratio'),
  latencyP99: formatValue(shopAlertThresholds.latencyP99Ms, 'milliseconds'),
  cpu: formatValue(shopAlertThresholds.cpuRatio, 'ratio'),
  eventLoopLag: formatValue(shopAlertThresholds.eventLoopLagSeconds, 'delaySeconds'),
  memory: formatValue(shopAlertThresholds.memoryBytes, 'bytes'),
};

/**
 * Averaged over 20 s and held 15 s: a change of 20-35 s, not a spike. Detection is most of the
 * time to recovery when remediation is automatic: longer holds page later for every fault.
 */
const window = seconds(20);
const hold = seconds(15);

/** One good evaluation in a bad stretch should not resolve and re-page. */
const keepFiringFor = seconds(15);

const gauge = (metric: string, fn: RangeExpr['fn'], windowMs: number): RangeExpr => ({
  kind: 'range',
  fn,
  select: { metric },
  windowMs,
});

const highErrorRatio: AlertRule = {
  alert: 'HighErrorRatio',
  expr: {
    kind: 'threshold',
    value: gauge(shopMetrics.errorRatio, 'avg', window),
    op: '>',
    threshold: shopAlertThresholds.errorRatio,
  },
  for: hold,
  keepFiringFor,
  severity: 'critical',
  unit: 'ratio',
  annotations: {
    summary: '{{service}} is failing {{value}} of its requests (5xx)',
    description:
      'Over the last 20s {{value}} of the HTTP requests served by {{service}} (instance ' +
      `{{instance}}) ended in a 5xx, above ${shown.errorRatio} for at least 15s. Customers see ` +
      'errors. A failing dependency usually shows here first: check the alerts of the services ' +
      '{{service}} calls before restarting it.',
  },
};

const highLatency: AlertRule = {
  alert: 'HighLatencyP99',
  expr: {
    kind: 'threshold',
    value: gauge(shopMetrics.latencyP99, 'avg', window),
    op: '>',
    threshold: shopAlertThresholds.latencyP99Ms,
  },
  for: hold,
  keepFiringFor,
  severity: 'error',
  unit: 'milliseconds',
  annotations: {
    summary: '{{service}} p99 latency is {{value}}',
    description:
      'The slowest 1% of requests to {{service}} (instance {{instance}}) took {{value}} on ' +
      `average over 20s, above ${shown.latencyP99} for at least 15s. Look for saturation (CPU, ` +
      'memory) on {{service}} or a slow dependency it waits on.',
  },
};

const cpuSaturated: AlertRule = {
  alert: 'CpuSaturated',
  expr: {
    kind: 'threshold',
    value: gauge(shopMetrics.cpu, 'avg', window),
    op: '>',
    threshold: shopAlertThresholds.cpuRatio,
  },
  for: hold,
  keepFiringFor,
  severity: 'warning',
  unit: 'ratio',
  annotations: {
    summary: '{{service}} CPU at {{value}}',
    description:
      '{{service}} (instance {{instance}}) has used {{value}} of a core on average over 20s, ' +
      `above ${shown.cpu} for at least 15s. Requests queue behind it: expect its latency to ` +
      'rise. A hot loop or a traffic surge; more replicas help only with the latter.',
  },
};

/**
 * CPU saturation as a Node.js service feels it: its one JavaScript thread busy, so timers and
 * requests wait their turn. On a crowded host a hot loop gets less than the 90% of a core that
 * `CpuSaturated` wants (the demo's hog got 79% on the loaded 2-core machine) while its event loop
 * is late by a hundred milliseconds, ten times its idle delay (the timer's 10 ms resolution).
 */
const eventLoopSaturated: AlertRule = {
  alert: 'EventLoopSaturated',
  expr: {
    kind: 'threshold',
    value: gauge(shopMetrics.eventLoopLag, 'avg', window),
    op: '>',
    threshold: shopAlertThresholds.eventLoopLagSeconds,
  },
  for: hold,
  keepFiringFor,
  severity: 'warning',
  unit: 'delaySeconds',
  annotations: {
    summary: '{{service}} event loop is {{value}} late',
    description:
      '{{service}} (instance {{instance}}) ran its timers {{value}} late on average over 20s, ' +
      `above ${shown.eventLoopLag} for at least 15s: its JavaScript thread is kept busy (a hot ` +
      'loop, a long synchronous task) and every request waits behind it, whatever CPU share ' +
      'the host gives the process.',
  },
};

const memoryNearLimit: AlertRule = {
  alert: 'MemoryNearLimit',
  expr: {
    kind: 'threshold',
    value: gauge(shopMetrics.memory, 'last', seconds(30)),
    op: '>',
    threshold: shopAlertThresholds.memoryBytes,
  },
  for: seconds(30),
  severity: 'warning',
  unit: 'bytes',
  annotations: {
    summary: '{{service}} resident memory is {{value}}',
    description:
      '{{service}} (instance {{instance}}) holds {{value}} of resident memory, above the ' +
      `${shown.memory} budget for at least 30s. It will be OOM-killed if it keeps growing; a ` +
      'restart buys time, the heap needs looking at.',
  },
};

const memoryGrowing: AlertRule = {
  alert: 'MemoryGrowing',
  expr: {
    kind: 'threshold',
    // Two minutes and six samples at least, so a burst of allocations is not taken for a leak,
    // and a series at least 100 s old: a process that just started climbs while it warms up
    value: {
      ...gauge(shopMetrics.memory, 'slope', minutes(2)),
      minSamples: 6,
      minSpanMs: seconds(100),
    },
    op: '>',
    threshold: shopAlertThresholds.memoryGrowthBytesPerSecond,
  },
  for: minutes(1),
  severity: 'warning',
  unit: 'bytesPerSecond',
  annotations: {
    summary: '{{service}} memory keeps growing at {{value}}',
    description:
      'The resident memory of {{service}} (instance {{instance}}) has risen steadily at {{value}} ' +
      'over the last 2 minutes, for at least a minute: a leak, most likely. At this pace it ' +
      'reaches its limit soon; compare with its last deploy or config change.',
  },
};

function targetDown(services: readonly string[]): AlertRule {
  return {
    alert: 'TargetDown',
    expr: {
      kind: 'any',
      of: [
        {
          kind: 'threshold',
          value: gauge(shopMetrics.up, 'last', shopAlertThresholds.staleAfterMs),
          op: '==',
          threshold: 0,
        },
        {
          kind: 'absent',
          select: { metric: shopMetrics.up },
          staleAfterMs: shopAlertThresholds.staleAfterMs,
          services,
        },
      ],
    },
    for: seconds(10),
    severity: 'critical',
    annotations: {
      summary: '{{service}} is down',
      description:
        '{{service}} reports itself unhealthy (up == 0) or has sent no metrics for over 10s, ' +
        'for at least 10s (the instance label says which one, when it ever reported). Its callers ' +
        'will fail or time out: check that the process is running and can reach Kafka.',
    },
  };
}

/** The shop rules, with `TargetDown` expecting the given services. */
export function buildShopAlertRules(services: readonly string[] = shopServiceNames): AlertRule[] {
  return [
    highErrorRatio,
    highLatency,
    cpuSaturated,
    eventLoopSaturated,
    memoryNearLimit,
    memoryGrowing,
    targetDown(services),
  ];
}

export const shopAlertRules: readonly AlertRule[] = buildShopAlertRules();
