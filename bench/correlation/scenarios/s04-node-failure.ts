import { IncidentKit } from '../incident-kit';
import { addBackgroundNoise } from '../noise';
import { ramp, steady } from '../rules/common';
import { datastoreAlert } from '../rules/infra-rules';
import {
  nodeMemoryHigh,
  nodeNotReady,
  nodeUnreachable,
  replicasMismatch,
  targetDown,
} from '../rules/kubernetes-rules';
import type { Scenario } from './scenario';

export const nodeFailure: Scenario = {
  id: 's04-node-failure',
  title: 'A Kubernetes node fails',
  models:
    'A prod-eu-1 node runs out of memory and hangs at minute 50; it is replaced at minute 78. ' +
    'In the order alerts really arrive: node memory before the hang; brief error and latency ' +
    'alerts from the services that had a pod there (until their pods are rescheduled, ~6 min); ' +
    'the Kafka broker or Redis replica on it (StatefulSet pods are not rescheduled) with ' +
    'under-replicated partitions; only then the node rules (TargetDown after 10 min, ' +
    'KubeNodeNotReady/Unreachable after 15 min, all with `for:` clauses). One incident. Later a ' +
    'tax provider slowdown is a second, unrelated incident.',
  durationMinutes: 180,
  build(b) {
    const eu = new IncidentKit(b, 'prod-eu-1');
    const truth = b.truth('node-failure');
    // the node with the most residents that also hosts a stateful pod: the worst case
    const node = [...eu.cluster.nodes]
      .map((n) => ({ n, residents: b.system.residentsOf(eu.cluster.name, n.name) }))
      .filter(({ residents }) => residents.some((w) => b.system.isDatastore(w)))
      .sort((x, y) => y.residents.length - x.residents.length)[0];
    eu.emit([nodeMemoryHigh(eu.cluster, node.n, ramp(91, 99.5))], truth, { from: 34, to: 52 });
    eu.emit(
      [targetDown(eu.cluster, 'node-exporter', 'monitoring', node.n.name, steady(12.5, 0))],
      truth,
      { from: 60, to: 79 },
    );
    eu.emit(
      [targetDown(eu.cluster, 'kubelet', 'kube-system', node.n.name, steady(12.5, 0))],
      truth,
      { from: 61, to: 79 },
    );
    eu.emit([nodeNotReady(eu.cluster, node.n), nodeUnreachable(eu.cluster, node.n)], truth, {
      from: 65,
      to: 79,
    });

    for (const workload of node.residents) {
      if (b.system.isDatastore(workload)) {
        statefulResident(eu, truth, workload, node.n.name);
        continue;
      }
      const span = { from: 50.5, to: 51 + eu.r.float(4, 8) };
      if (eu.r.chance(0.85))
        eu.errors(truth, workload, span, {
          kind: 'pod-lost',
          target: workload,
          mode: 'down',
          address: `${eu.pods(workload).find((p) => p.node === node.n.name)?.ip ?? '10.21.100.1'}:8080`,
        });
      if (eu.r.chance(0.5)) eu.latency(truth, workload, span);
    }

    const tax = b.truth('tax-provider-slow');
    eu.latency(tax, 'tax', { from: 112, to: 134 });
    eu.errors(
      tax,
      'tax',
      { from: 114, to: 130 },
      { kind: 'http', target: 'api.tax-provider.example', mode: 'slow' },
    );
    eu.latency(tax, 'checkout', { from: 115, to: 133 });

    addBackgroundNoise(b, { perHour: 12 });
  },
};

function statefulResident(eu: IncidentKit, truth: string, workload: string, node: string): void {
  const store = eu.b.system.datastore(workload);
  const pods = eu.pods(workload);
  const ip = (pods.find((p) => p.node === node) ?? pods[0]).ip;
  eu.emit([replicasMismatch(eu.workload(workload), true)], truth, { from: 66, to: 82 });
  if (store.engine === 'kafka') {
    eu.emit([datastoreAlert(eu.cluster, store, ip, 'under-replicated')], truth, {
      from: 51,
      to: 84,
    });
  } else if (store.engine === 'redis') {
    eu.emit([datastoreAlert(eu.cluster, store, ip, 'down')], truth, { from: 51, to: 80 });
  } else {
    eu.emit([datastoreAlert(eu.cluster, store, ip, 'yellow')], truth, { from: 51, to: 86 });
  }
}
