// Webhook bodies as Alertmanager 0.27 sends them (captured shape, names changed to the demo shop).

/** A group of two firing alerts: one Prometheus-style, one with Kubernetes recommended labels. */
export const firingGroup = {
  receiver: 'vigil',
  status: 'firing',
  alerts: [
    {
      status: 'firing',
      labels: {
        alertname: 'HighErrorRate',
        cluster: 'prod-eu',
        instance: '10.244.1.17:8080',
        job: 'checkout',
        namespace: 'shop',
        service: 'checkout',
        severity: 'critical',
      },
      annotations: {
        description: 'checkout answers 7.3% of requests with 5xx (threshold 5%).',
        runbook_url: 'https://runbooks.example.com/HighErrorRate',
        summary: 'checkout 5xx ratio above 5%',
      },
      startsAt: '2026-11-27T10:02:31.482345678Z',
      endsAt: '0001-01-01T00:00:00Z',
      generatorURL:
        'http://prometheus.monitoring:9090/graph?g0.expr=sum+by%28service%29%28rate%28http_requests_total%7Bcode%3D~%225..%22%7D%5B5m%5D%29%29&g0.tab=1',
      fingerprint: '5c8e1c7b1f0e6b3a',
    },
    {
      status: 'firing',
      labels: {
        alertname: 'KubePodCrashLooping',
        app_kubernetes_io_name: 'payment',
        cluster: 'prod-eu',
        container: 'payment',
        job: 'kubernetes-pods',
        namespace: 'shop',
        pod: 'payment-7d9f8b6c5-x2k4q',
        reason: 'CrashLoopBackOff',
        severity: 'Warning',
      },
      annotations: {
        description:
          'Pod shop/payment-7d9f8b6c5-x2k4q (payment) is in waiting state (reason: "CrashLoopBackOff").',
        runbook_url:
          'https://runbooks.prometheus-operator.dev/runbooks/kubernetes/kubepodcrashlooping',
        summary: 'Pod is crash looping.',
      },
      startsAt: '2026-11-27T11:03:00.1+01:00',
      endsAt: '2026-11-27T10:09:00.1Z',
      generatorURL:
        'http://prometheus.monitoring:9090/graph?g0.expr=kube_pod_container_status_waiting_reason',
      fingerprint: 'a1f09c3de2b47718',
    },
  ],
  groupLabels: { cluster: 'prod-eu', namespace: 'shop' },
  commonLabels: { cluster: 'prod-eu', namespace: 'shop' },
  commonAnnotations: {},
  externalURL: 'http://alertmanager.monitoring:9093',
  version: '4',
  groupKey: '{}/{severity=~"warning|critical"}:{cluster="prod-eu", namespace="shop"}',
  truncatedAlerts: 0,
};

/** The same HighErrorRate alert once it stopped. */
export const resolvedNotification = {
  receiver: 'vigil',
  status: 'resolved',
  alerts: [
    {
      ...firingGroup.alerts[0],
      status: 'resolved',
      endsAt: '2026-11-27T10:17:31.482345678Z',
    },
  ],
  groupLabels: { cluster: 'prod-eu', namespace: 'shop' },
  commonLabels: firingGroup.alerts[0].labels,
  commonAnnotations: firingGroup.alerts[0].annotations,
  externalURL: 'http://alertmanager.monitoring:9093',
  version: '4',
  groupKey: '{}/{severity=~"warning|critical"}:{cluster="prod-eu", namespace="shop"}',
  truncatedAlerts: 0,
};

/** What a hand-written rule with no annotations, no severity and no service labels produces. */
export const sparseNotification = {
  version: '4',
  status: 'firing',
  alerts: [
    {
      status: 'firing',
      labels: { alertname: 'Watchdog', instance: 'node-a:9100' },
      startsAt: '2026-11-27T10:00:00Z',
    },
    {
      status: 'firing',
      labels: { instance: 'node-b:9100' },
      annotations: {},
      startsAt: '0001-01-01T00:00:00Z',
      generatorURL: '',
      fingerprint: '',
    },
  ],
};
