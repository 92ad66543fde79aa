import type { IncidentKit } from '../incident-kit';
import type { ClusterModel } from '../system-model';
import {
  type AlertTemplate,
  between,
  f0,
  prometheusAlert,
  stableId,
  steady,
} from '../rules/common';

/**
 * Alerts that fire for days or never send a resolve, as real stacks have them: the Watchdog that
 * kube-prometheus keeps firing on purpose, an IDS that raises one event per detection and never
 * resolves, a deprecation check nobody has fixed yet.
 */

/** kube-prometheus' always-firing alert that proves the pipeline works; `severity="none"`. */
export function watchdog(cluster: ClusterModel): AlertTemplate {
  const template = prometheusAlert(
    cluster,
    'prometheus',
    'Watchdog',
    'info',
    { severity: 'none', namespace: 'monitoring' },
    {
      summary: () =>
        'An alert that should always be firing to certify that Alertmanager is working properly.',
      description: () =>
        'This is an alert meant to ensure that the entire alerting pipeline is functional.\nThis alert is always firing, therefore it should always be firing in Alertmanager\nand always fire against a receiver.',
      value: () => 1,
    },
    { runbook: 'https://runbooks.prometheus-operator.dev/runbooks/general/watchdog' },
  );
  return template;
}

/** A Watchdog in each kit's cluster, firing since `startedAt` (epoch ms): a truth of its own each. */
export function watchdogs(kits: IncidentKit[], startedAt: number): void {
  for (const kit of kits)
    kit.b.series(watchdog(kit.cluster), kit.b.truth(`watchdog-${kit.cluster.name}`), {
      from: kit.b.start,
      startedAt,
    });
}

/**
 * A Suricata signature raised through the SIEM's webhook: one event per detection, no re-send and
 * no resolve. The source IP and the signature make the alert; each detection is an occurrence.
 */
export function idsDetection(
  cluster: ClusterModel,
  service: string,
  signature: string,
  sid: number,
  sourceIp: string,
): AlertTemplate {
  return {
    source: 'datadog',
    alertname: `Suricata: ${signature}`,
    severity: 'warning',
    service,
    labels: {
      alertname: `Suricata: ${signature}`,
      cluster: cluster.name,
      sid: String(sid),
      src_ip: sourceIp,
      dest_service: service,
      team: 'security',
    },
    summary: () => `[SIEM] ${signature} from ${sourceIp}`,
    description: (c) =>
      `Suricata alert sid:${sid} "${signature}" src=${sourceIp} dest=${service}.${cluster.name}.shop.internal:443 count=${f0(c.value)} in the last 5m. Triage in the SIEM; this signal does not auto-resolve.`,
    value: between(3, 40),
    resendMs: Number.POSITIVE_INFINITY,
    generatorUrl: `https://siem.shop.internal/signals/${stableId(`${signature}/${sourceIp}`, 10)}`,
  };
}

/** An API the next Kubernetes upgrade removes, still used by a workload's manifests: fires for weeks. */
export function deprecatedApiInUse(
  cluster: ClusterModel,
  service: string,
  namespace: string,
  resource: string,
  version: string,
): AlertTemplate {
  return prometheusAlert(
    cluster,
    service,
    'KubeDeprecatedAPIInUse',
    'info',
    { namespace, group: resource.split('/')[0] ?? resource, resource, version },
    {
      summary: () => `Deprecated API ${resource}/${version} is still requested.`,
      description: (c) =>
        `${f0(c.value)} requests in the last hour from namespace ${namespace} use ${resource}/${version}, which is removed in the next Kubernetes release. Update the manifests of ${service}.`,
      value: steady(120, 0.3),
    },
  );
}
