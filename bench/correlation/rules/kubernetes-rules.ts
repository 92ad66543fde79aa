import type { AlertSeverity } from '@vigil/contracts';
import type { ClusterModel, NodeDef, Pod } from '../system-model';
import {
  type AlertTemplate,
  type ValueFn,
  between,
  f0,
  f1,
  f2,
  kubeRunbook,
  prometheusAlert,
  ramp,
  stableHex,
  steady,
} from './common';

/**
 * Kubernetes and node rules from the kube-prometheus mixins, with the label sets those rules
 * really keep: kube-state-metrics alerts that do not aggregate carry the exporter's own
 * `service="kube-state-metrics"` and `job` labels, aggregated ones only what they sum by.
 */
export interface WorkloadRef {
  cluster: ClusterModel;
  /** Service or datastore the pods belong to (what the normalizer makes `service`). */
  workload: string;
  namespace: string;
  /** Container name inside the pod. */
  container: string;
}

const ksm = {
  job: 'kube-state-metrics',
  service: 'kube-state-metrics',
  endpoint: 'http',
  container: 'kube-state-metrics',
};

export function podCrashLooping(w: WorkloadRef, pod: Pod): AlertTemplate {
  return prometheusAlert(
    w.cluster,
    w.workload,
    'KubePodCrashLooping',
    'warning',
    {
      ...ksm,
      namespace: w.namespace,
      pod: pod.name,
      container: w.container,
      reason: 'CrashLoopBackOff',
      uid: stableHex(pod.name, 32),
    },
    {
      summary: () => 'Pod is crash looping.',
      description: () =>
        `Pod ${w.namespace}/${pod.name} (${w.container}) is in waiting state (reason: "CrashLoopBackOff") on cluster ${w.cluster.name}.`,
      value: () => 1,
    },
    { runbook: kubeRunbook('KubePodCrashLooping') },
  );
}

export function podNotReady(w: WorkloadRef, pod: Pod): AlertTemplate {
  return prometheusAlert(
    w.cluster,
    w.workload,
    'KubePodNotReady',
    'warning',
    {
      namespace: w.namespace,
      pod: pod.name,
    },
    {
      summary: () => 'Pod has been in a non-ready state for more than 15 minutes.',
      description: () =>
        `Pod ${w.namespace}/${pod.name} has been in a non-ready state for longer than 15 minutes on cluster ${w.cluster.name}.`,
      value: () => 1,
    },
    { runbook: kubeRunbook('KubePodNotReady') },
  );
}

export function replicasMismatch(w: WorkloadRef, statefulSet = false): AlertTemplate {
  const kind = statefulSet ? 'StatefulSet' : 'Deployment';
  const label = statefulSet ? 'statefulset' : 'deployment';
  return prometheusAlert(
    w.cluster,
    w.workload,
    `Kube${kind}ReplicasMismatch`,
    'warning',
    {
      ...ksm,
      namespace: w.namespace,
      [label]: w.workload,
    },
    {
      summary: () => `${kind} has not matched the expected number of replicas.`,
      description: () =>
        `${kind} ${w.namespace}/${w.workload} has not matched the expected number of replicas for longer than 15 minutes on cluster ${w.cluster.name}.`,
      value: steady(1, 0),
    },
    { runbook: kubeRunbook(`Kube${kind}ReplicasMismatch`) },
  );
}

export function rolloutStuck(w: WorkloadRef): AlertTemplate {
  return prometheusAlert(
    w.cluster,
    w.workload,
    'KubeDeploymentRolloutStuck',
    'warning',
    {
      ...ksm,
      namespace: w.namespace,
      deployment: w.workload,
      condition: 'Progressing',
    },
    {
      summary: () => 'Deployment rollout is not progressing.',
      description: () =>
        `Rollout of deployment ${w.namespace}/${w.workload} is not progressing for longer than 15 minutes on cluster ${w.cluster.name}.`,
      value: () => 1,
    },
    { runbook: kubeRunbook('KubeDeploymentRolloutStuck') },
  );
}

/** Argo CD's health of the application that deploys a workload. */
export function argoDegraded(w: WorkloadRef, revision: string): AlertTemplate {
  const app = `${w.workload}-${w.cluster.name}`;
  return prometheusAlert(
    w.cluster,
    w.workload,
    'ArgoCdAppUnhealthy',
    'error',
    {
      name: app,
      namespace: 'argocd',
      dest_namespace: w.namespace,
      health_status: 'Degraded',
      project: 'shop',
      job: 'argocd-metrics',
    },
    {
      summary: () => `Argo CD application ${app} is Degraded`,
      description: () =>
        `The application ${app} has been Degraded for more than 5 minutes (sync status Synced, revision ${revision}).`,
      value: () => 1,
    },
  );
}

/** `TargetDown` names the scrape job and Kubernetes Service, which for node agents is not ours. */
export function targetDown(
  cluster: ClusterModel,
  job: string,
  namespace: string,
  entity: string,
  value: ValueFn,
): AlertTemplate {
  return prometheusAlert(
    cluster,
    entity,
    'TargetDown',
    'warning',
    {
      job,
      namespace,
      service: job,
    },
    {
      summary: () => 'One or more targets are unreachable.',
      description: (c) =>
        `${f0(c.value)}% of the ${job}/${job} targets in ${namespace} namespace are down.`,
      value,
    },
    { runbook: kubeRunbook('TargetDown', 'general') },
  );
}

export function nodeNotReady(cluster: ClusterModel, node: NodeDef): AlertTemplate {
  return prometheusAlert(
    cluster,
    node.name,
    'KubeNodeNotReady',
    'warning',
    {
      ...ksm,
      node: node.name,
      condition: 'Ready',
      status: 'true',
    },
    {
      summary: () => 'Node is not ready.',
      description: () =>
        `${node.name} has been unready for more than 15 minutes on cluster ${cluster.name}.`,
      value: () => 0,
    },
    { runbook: kubeRunbook('KubeNodeNotReady') },
  );
}

export function nodeUnreachable(cluster: ClusterModel, node: NodeDef): AlertTemplate {
  return prometheusAlert(
    cluster,
    node.name,
    'KubeNodeUnreachable',
    'warning',
    {
      ...ksm,
      node: node.name,
      key: 'node.kubernetes.io/unreachable',
      effect: 'NoSchedule',
    },
    {
      summary: () => 'Node is unreachable.',
      description: () =>
        `${node.name} is unreachable and some workloads may be rescheduled on cluster ${cluster.name}.`,
      value: () => 1,
    },
    { runbook: kubeRunbook('KubeNodeUnreachable') },
  );
}

export function kubeletDown(cluster: ClusterModel, node: NodeDef): AlertTemplate {
  return prometheusAlert(
    cluster,
    node.name,
    'KubeletDown',
    'critical',
    {
      job: 'kubelet',
      namespace: 'kube-system',
      service: 'kubelet',
    },
    {
      summary: () => 'Target disappeared from Prometheus target discovery.',
      description: () => 'Kubelet has disappeared from Prometheus target discovery.',
      value: () => 1,
    },
    { runbook: kubeRunbook('KubeletDown') },
  );
}

export function containerMemoryHigh(w: WorkloadRef, pod: Pod, value: ValueFn): AlertTemplate {
  return prometheusAlert(
    w.cluster,
    w.workload,
    'ContainerHighMemoryUsage',
    'warning',
    {
      namespace: w.namespace,
      pod: pod.name,
      container: w.container,
      node: pod.node,
      job: 'kubelet',
      metrics_path: '/metrics/cadvisor',
    },
    {
      summary: () => `Container High Memory usage (instance ${pod.node})`,
      description: (c) =>
        `Container Memory usage is above 80%\n  VALUE = ${f2(c.value)}\n  LABELS = map[container:${w.container} namespace:${w.namespace} pod:${pod.name}]`,
      value,
    },
  );
}

export function oomKilled(w: WorkloadRef, pod: Pod): AlertTemplate {
  return prometheusAlert(
    w.cluster,
    w.workload,
    'KubernetesContainerOomKiller',
    'warning',
    {
      ...ksm,
      namespace: w.namespace,
      pod: pod.name,
      container: w.container,
      reason: 'OOMKilled',
    },
    {
      summary: () => `Kubernetes Container oom killer (${w.namespace}/${pod.name}:${w.container})`,
      description: (c) =>
        `Container ${w.container} in pod ${w.namespace}/${pod.name} has been OOMKilled ${f0(c.value)} times in the last 10 minutes.`,
      value: ramp(1, 4, 0),
    },
  );
}

export function cpuThrottling(w: WorkloadRef, pod: Pod): AlertTemplate {
  return prometheusAlert(
    w.cluster,
    w.workload,
    'CPUThrottlingHigh',
    'info',
    {
      namespace: w.namespace,
      pod: pod.name,
      container: w.container,
    },
    {
      summary: () => 'Processes experience elevated CPU throttling.',
      description: (c) =>
        `${f0(c.value)}% throttling of CPU in namespace ${w.namespace} for container ${w.container} in pod ${pod.name} on cluster ${w.cluster.name}.`,
      value: between(26, 70),
    },
    { runbook: kubeRunbook('CPUThrottlingHigh') },
  );
}

export function hpaMaxedOut(w: WorkloadRef): AlertTemplate {
  return prometheusAlert(
    w.cluster,
    w.workload,
    'KubeHpaMaxedOut',
    'info',
    {
      ...ksm,
      namespace: w.namespace,
      horizontalpodautoscaler: w.workload,
    },
    {
      summary: () => 'HPA is running at max replicas',
      description: () =>
        `HPA ${w.namespace}/${w.workload} has been running at max replicas for longer than 15 minutes on cluster ${w.cluster.name}.`,
      value: () => 1,
    },
    { runbook: kubeRunbook('KubeHpaMaxedOut') },
  );
}

export function jobFailed(w: WorkloadRef, job: string): AlertTemplate {
  return prometheusAlert(
    w.cluster,
    w.workload,
    'KubeJobFailed',
    'warning',
    {
      ...ksm,
      namespace: w.namespace,
      job_name: job,
      condition: 'true',
    },
    {
      summary: () => 'Job failed to complete.',
      description: () =>
        `Job ${w.namespace}/${job} failed to complete. Removing failed job after investigation should clear this alert.`,
      value: () => 1,
    },
    { runbook: kubeRunbook('KubeJobFailed') },
  );
}

export function pdbAtLimit(w: WorkloadRef): AlertTemplate {
  return prometheusAlert(
    w.cluster,
    w.workload,
    'KubePdbNotEnoughHealthyPods',
    'info',
    {
      ...ksm,
      namespace: w.namespace,
      poddisruptionbudget: w.workload,
    },
    {
      summary: () => 'PDB does not have enough healthy pods.',
      description: (c) =>
        `PDB ${w.namespace}/${w.workload} expects ${f0(c.value)} more healthy pods. The desired number of healthy pods has not been met for at least 15m.`,
      value: () => 1,
    },
  );
}

/** Per-node rules from node-exporter; kube-prometheus relabels `instance` to the node name. */
export function nodeAlert(
  cluster: ClusterModel,
  node: NodeDef,
  alertname: string,
  severity: AlertSeverity,
  labels: Record<string, string>,
  text: Pick<AlertTemplate, 'summary' | 'description' | 'value'>,
): AlertTemplate {
  return prometheusAlert(
    cluster,
    node.name,
    alertname,
    severity,
    {
      instance: node.name,
      job: 'node-exporter',
      namespace: 'monitoring',
      service: 'node-exporter',
      ...labels,
    },
    text,
    { runbook: kubeRunbook(alertname, 'node') },
  );
}

export function nodeMemoryHigh(
  cluster: ClusterModel,
  node: NodeDef,
  value: ValueFn,
): AlertTemplate {
  return nodeAlert(
    cluster,
    node,
    'NodeMemoryHighUtilization',
    'warning',
    {},
    {
      summary: () => 'Host is running out of memory.',
      description: (c) =>
        `Memory is filling up at ${node.name}, has been above 90% for the last 15 minutes, is currently at ${f2(c.value)}%.`,
      value,
    },
  );
}

export function nodeCpuHigh(cluster: ClusterModel, node: NodeDef, value: ValueFn): AlertTemplate {
  return nodeAlert(
    cluster,
    node,
    'NodeCPUHighUsage',
    'info',
    {},
    {
      summary: () => 'High CPU usage.',
      description: (c) =>
        `CPU usage at ${node.name} has been above 90% for the last 15 minutes, is currently at ${f2(c.value)}%.`,
      value,
    },
  );
}

export function nodeMiscAlert(
  cluster: ClusterModel,
  node: NodeDef,
  which: 'clock' | 'network' | 'conntrack',
): AlertTemplate {
  if (which === 'clock')
    return nodeAlert(
      cluster,
      node,
      'NodeClockNotSynchronising',
      'warning',
      {},
      {
        summary: () => 'Clock not synchronising.',
        description: () =>
          `Clock at ${node.name} is not synchronising. Ensure NTP is configured on this host.`,
        value: () => 0,
      },
    );
  if (which === 'network')
    return nodeAlert(
      cluster,
      node,
      'NodeNetworkReceiveErrs',
      'warning',
      { device: 'ens5' },
      {
        summary: () => 'Network interface is reporting many receive errors.',
        description: (c) =>
          `${node.name} interface ens5 has encountered ${f0(c.value)} receive errors in the last two minutes.`,
        value: between(12, 400),
      },
    );
  return nodeAlert(
    cluster,
    node,
    'NodeHighNumberConntrackEntriesUsed',
    'warning',
    {},
    {
      summary: () => 'Number of conntrack are getting close to the limit.',
      description: (c) => `${f1(c.value)}% of conntrack entries are used.`,
      value: between(75, 92),
    },
  );
}

export function workloadRef(
  cluster: ClusterModel,
  workload: string,
  namespace: string,
  container?: string,
): WorkloadRef {
  return { cluster, workload, namespace, container: container ?? workload };
}
