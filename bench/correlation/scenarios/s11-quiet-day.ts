import { IncidentKit } from '../incident-kit';
import { addBackgroundNoise } from '../noise';
import { datastoreAlert, zabbixHost } from '../rules/infra-rules';
import { oomKilled, podCrashLooping } from '../rules/kubernetes-rules';
import type { Scenario } from './scenario';

export const quietDay: Scenario = {
  id: 's11-quiet-day',
  title: 'A quiet working day: background noise and small incidents',
  models:
    'Ten hours with no outage: the everyday background (CPU throttling, latency blips, slowly ' +
    'filling disks, failed cron jobs, certificates to renew, consumer lag, HPA at max ...) at a ' +
    'higher rate, each problem its own incident, plus three small real ones: an ad-service pod ' +
    'OOM-killed into a crash loop, the SMS provider degrading notification delivery, and a ' +
    'MongoDB replica VM rebooting in prod-us-1. Here a correlator can only lose by merging.',
  durationMinutes: 600,
  build(b) {
    const eu = new IncidentKit(b, 'prod-eu-1');
    const ads = b.truth('ad-service-pod-oom');
    const adPod = eu.pods('ad-service')[0];
    eu.emit([oomKilled(eu.workload('ad-service'), adPod)], ads, { from: 100, to: 118 });
    eu.emit([podCrashLooping(eu.workload('ad-service'), adPod)], ads, { from: 104, to: 121 });

    const sms = b.truth('sms-provider-degraded');
    eu.failingService(
      sms,
      'sms-gateway',
      { kind: 'http', target: 'api.sms-provider.example', mode: 'slow' },
      { errors: { from: 200, to: 232 }, callers: { from: 202, to: 233 } },
      'slow',
      { reach: [0.9] },
    );

    const us = new IncidentKit(b, 'prod-us-1');
    const mongo = b.truth('us-mongodb-vm-reboot');
    const vm = b.system.vmOf(us.cluster.name, 'mongodb-catalog');
    us.emit(
      [datastoreAlert(us.cluster, b.system.datastore('mongodb-catalog'), vm.ip, 'unhealthy')],
      mongo,
      { from: 300, to: 318 },
    );
    us.emit([zabbixHost(vm, 'ping'), zabbixHost(vm, 'agent')], mongo, { from: 299, to: 309 });

    addBackgroundNoise(b, { perHour: 15 });
  },
};
