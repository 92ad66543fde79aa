import { IncidentKit } from '../incident-kit';
import { addBackgroundNoise } from '../noise';
import { datastoreAlert } from '../rules/infra-rules';
import type { Scenario } from './scenario';

export const multiCluster: Scenario = {
  id: 's09-multi-cluster',
  title: 'The same outage name in two clusters',
  models:
    'The cart Redis fails in prod-eu-1 at minute 40 (the primary is killed and Sentinel ' +
    'failover hangs: RedisDown, connection refused) and, independently, in prod-us-1 at minute ' +
    '52 (maxmemory reached after a traffic spike: "OOM command not allowed"). cart, checkout, ' +
    'the BFFs and the gateway alert in both clusters with the same alert names and nearly the ' +
    'same text; only the cluster label and timing tell them apart: two incidents.',
  durationMinutes: 180,
  build(b) {
    const eu = new IncidentKit(b, 'prod-eu-1');
    const euTruth = b.truth('eu-cart-redis-down');
    const euRedis = eu.pods('redis-cart')[0];
    const store = b.system.datastore('redis-cart');
    eu.emit([datastoreAlert(eu.cluster, store, euRedis.ip, 'down')], euTruth, { from: 40, to: 74 });
    eu.propagate(
      euTruth,
      'redis-cart',
      { kind: 'redis', target: 'redis-cart', mode: 'down', address: `${euRedis.ip}:6379` },
      { from: 40.5, to: 75 },
      { reach: [1, 0.9, 0.8] },
    );

    const us = new IncidentKit(b, 'prod-us-1');
    const usTruth = b.truth('us-cart-redis-maxmemory');
    const usRedis = us.pods('redis-cart')[0];
    us.emit([datastoreAlert(us.cluster, store, usRedis.ip, 'memory')], usTruth, {
      from: 48,
      to: 110,
    });
    us.emit([datastoreAlert(us.cluster, store, usRedis.ip, 'rejected')], usTruth, {
      from: 52,
      to: 104,
    });
    us.propagate(
      usTruth,
      'redis-cart',
      { kind: 'redis', target: 'redis-cart', mode: 'full' },
      { from: 52.5, to: 106 },
      { reach: [1, 0.9, 0.8] },
    );

    addBackgroundNoise(b, { perHour: 13 });
  },
};
