import { IncidentKit } from '../incident-kit';
import { addBackgroundNoise } from '../noise';
import { ramp } from '../rules/common';
import { datastoreAlert, jvmHeapHigh } from '../rules/infra-rules';
import { containerMemoryHigh, oomKilled } from '../rules/kubernetes-rules';
import { errorAlerts } from '../rules/service-rules';
import type { Scenario } from './scenario';

export const memoryLeak: Scenario = {
  id: 's08-memory-leak',
  title: 'A memory leak, and two other memory problems',
  models:
    'A recommendation release leaks memory (prod-eu-1). Each pod climbs past 80% of its limit ' +
    '(ContainerHighMemoryUsage), is OOM-killed (KubernetesContainerOomKiller), restarts and ' +
    'climbs again, pods out of step; p95 latency and errors of recommendation rise around the ' +
    'kills and the storefront notices. Fixed by a release at minute 200: one incident. Also: ' +
    'Elasticsearch heap above 90% with slow search (one incident) and an invoice JVM heap ' +
    'problem ending in an OOM kill in prod-us-1 (another). Three memory stories, three incidents.',
  durationMinutes: 240,
  build(b) {
    const eu = new IncidentKit(b, 'prod-eu-1');
    const truth = b.truth('recommendation-memory-leak');
    const w = eu.workload('recommendation');
    eu.target('recommendation').pods.forEach((pod, i) => {
      // one leak cycle: climb for ~40-55 min, get killed, restart with an empty heap
      for (let start = 30 + i * 14; start < 200; ) {
        const climb = eu.r.float(40, 55);
        const kill = Math.min(start + climb, 200);
        eu.emit(
          [containerMemoryHigh(w, pod, ramp(0.8, 0.99, 0.005))],
          truth,
          { from: start + climb * 0.45, to: kill },
          { jitter: 0.5 },
        );
        if (kill < 200)
          eu.emit([oomKilled(w, pod)], truth, { from: kill, to: kill + 10 }, { jitter: 0.3 });
        start = kill + 1;
      }
    });
    eu.latency(truth, 'recommendation', { from: 80, to: 201 });
    const [errors] = errorAlerts(eu.target('recommendation'), eu.r, {
      kind: 'oom',
      target: 'recommendation',
      mode: 'bug',
    });
    b.flap(errors, truth, b.at(85), b.at(200), [2, 5], [6, 16]);
    eu.propagate(
      truth,
      'recommendation',
      { kind: 'http', target: 'recommendation', mode: 'slow' },
      { from: 95, to: 200 },
      { reach: [0.7] },
    );

    const es = b.truth('elasticsearch-heap');
    const esPod = eu.pods('elasticsearch')[0];
    eu.emit(
      [datastoreAlert(eu.cluster, b.system.datastore('elasticsearch'), esPod.ip, 'heap')],
      es,
      { from: 60, to: 140 },
    );
    eu.latency(es, 'search', { from: 70, to: 130 });

    const us = new IncidentKit(b, 'prod-us-1');
    const invoice = b.truth('us-invoice-jvm-heap');
    const pod = us.pods('invoice')[0];
    us.emit([jvmHeapHigh(us.cluster, 'invoice', 'payments', pod.name, ramp(90.5, 99))], invoice, {
      from: 100,
      to: 152,
    });
    us.emit([oomKilled(us.workload('invoice'), pod)], invoice, { from: 151, to: 161 });

    addBackgroundNoise(b, { perHour: 10 });
  },
};
