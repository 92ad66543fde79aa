import { IncidentKit } from '../incident-kit';
import { addBackgroundNoise } from '../noise';
import { between, f1, f2, prometheusAlert, ramp } from '../rules/common';
import { podCrashLooping, replicasMismatch, workloadRef } from '../rules/kubernetes-rules';
import { dependencyAlerts, errorAlerts, latencyAlerts } from '../rules/service-rules';
import type { Pod } from '../system-model';
import type { Scenario } from './scenario';

export const dnsOutage: Scenario = {
  id: 's13-dns-outage',
  title: 'Cluster DNS breaks: many unrelated-looking services fail at once',
  models:
    'A CoreDNS configuration change in prod-eu-1 at minute 60 lowers its memory limit; the ' +
    'CoreDNS pods are OOM-killed and crash-loop, SERVFAIL rises, and services all over the ' +
    'cluster fail to resolve their dependencies ("UnknownHostException", "EAI_AGAIN", "lookup ' +
    '... i/o timeout"): errors and latency on a dozen services that share no call path, and ' +
    'CoreDNS is not in the service topology at all. Rolled back at minute 88: one incident.',
  durationMinutes: 180,
  build(b) {
    const eu = new IncidentKit(b, 'prod-eu-1');
    const truth = b.truth('coredns-oom-crashloop');
    const r = eu.r;
    const coredns = workloadRef(eu.cluster, 'coredns', 'kube-system');
    const pods: Pod[] = [0, 1].map((i) => ({
      name: `coredns-5d78c9869d-${r.token(5)}`,
      ip: `10.21.${140 + i * 7}.${r.int(2, 250)}`,
      node: eu.cluster.nodes[i * 3].name,
      owner: 'coredns',
    }));
    eu.emit([dnsErrors(eu), dnsLatency(eu)], truth, { from: 60, to: 90 }, { jitter: 2 });
    for (const pod of pods) eu.emit([podCrashLooping(coredns, pod)], truth, { from: 63, to: 89 });
    eu.emit([replicasMismatch(coredns)], truth, { from: 75, to: 90 });

    const victims = r.sample(b.system.services, 13);
    for (const service of victims) {
      const dependency = service.dependsOn[0] ?? service.calls[0] ?? 'api.partner.example';
      const fault = {
        kind: 'dns' as const,
        target: dependency,
        mode: 'down' as const,
        address: `${dependency}.svc.cluster.local`,
      };
      const t = eu.target(service.name);
      const span = { from: 61 + r.float(0, 4), to: 88 + r.float(0, 4) };
      eu.emit(errorAlerts(t, r, fault), truth, span);
      if (r.chance(0.5)) eu.emit(latencyAlerts(t, r), truth, span);
      if (r.chance(0.5)) eu.emit(dependencyAlerts(t, r, fault), truth, span);
    }

    addBackgroundNoise(b, { perHour: 11 });
  },
};

function dnsErrors(eu: IncidentKit) {
  return prometheusAlert(
    eu.cluster,
    'coredns',
    'CoreDNSErrorsHigh',
    'critical',
    {
      job: 'coredns',
      namespace: 'kube-system',
      service: 'kube-dns',
      server: 'dns://:53',
    },
    {
      summary: () => 'CoreDNS is returning SERVFAIL.',
      description: (c) => `CoreDNS is returning SERVFAIL for ${f1(c.value)}% of requests.`,
      value: ramp(4, 38, 0.1),
    },
  );
}

function dnsLatency(eu: IncidentKit) {
  return prometheusAlert(
    eu.cluster,
    'coredns',
    'CoreDNSLatencyHigh',
    'critical',
    {
      job: 'coredns',
      namespace: 'kube-system',
      service: 'kube-dns',
      server: 'dns://:53',
      zone: '.',
    },
    {
      summary: () => 'CoreDNS is experiencing high 99th percentile latency.',
      description: (c) =>
        `CoreDNS has 99th percentile latency of ${f2(c.value)} seconds for server dns://:53 zone . .`,
      value: between(4.1, 8),
    },
  );
}
