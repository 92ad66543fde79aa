import { IncidentKit } from '../incident-kit';
import { addBackgroundNoise } from '../noise';
import { datastoreAlert } from '../rules/infra-rules';
import type { Scenario } from './scenario';

export const twoIncidents: Scenario = {
  id: 's03-two-incidents',
  title: 'Two unrelated incidents at once',
  models:
    'In prod-eu-1, within five minutes of each other: (1) the session Redis hits maxmemory and ' +
    'rejects writes ("OOM command not allowed"), so auth fails logins and the gateway returns ' +
    '5xx; (2) the external carrier API goes down, so carrier-gateway, shipping, checkout and the ' +
    'storefront alert. Both storms overlap in time and both reach the top of the call graph, ' +
    'through different services: two incidents.',
  durationMinutes: 180,
  build(b) {
    const eu = new IncidentKit(b, 'prod-eu-1');
    const session = b.truth('session-cache-full');
    const redis = b.system.datastore('redis-session');
    const redisIp = eu.pods('redis-session')[0].ip;
    eu.emit([datastoreAlert(eu.cluster, redis, redisIp, 'memory')], session, { from: 26, to: 88 });
    eu.emit([datastoreAlert(eu.cluster, redis, redisIp, 'rejected')], session, {
      from: 31,
      to: 84,
    });
    eu.propagate(
      session,
      'redis-session',
      { kind: 'redis', target: 'redis-session', mode: 'full', address: `${redisIp}:6379` },
      { from: 30, to: 85 },
      { reach: [1, 1, 0] },
    );

    const carrier = b.truth('carrier-api-outage');
    const fault = {
      kind: 'http' as const,
      target: 'api.parcel-carrier.example',
      mode: 'down' as const,
      address: 'api.parcel-carrier.example:443',
    };
    eu.failingService(
      carrier,
      'carrier-gateway',
      fault,
      {
        errors: { from: 34, to: 100 },
        latency: { from: 34, to: 100 },
        callers: { from: 35, to: 101 },
      },
      'down',
      { reach: [1, 0.9, 0.7], exclude: ['api-gateway'] },
    );

    addBackgroundNoise(b, { perHour: 12 });
  },
};
