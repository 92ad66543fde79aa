import { IncidentKit } from '../incident-kit';
import { addBackgroundNoise } from '../noise';
import { between } from '../rules/common';
import { consumerLag, latencyAlerts } from '../rules/service-rules';
import type { Scenario } from './scenario';

export const flapping: Scenario = {
  id: 's02-flapping',
  title: 'Noisy flapping rules around a real outage',
  models:
    'Two rules written without a `for:` clause flap all afternoon: the per-pod HttpSlowRequests ' +
    'rule on the three search pods (search p95 sits right at the 1 s threshold) and the consumer ' +
    'lag of warehouse-sync on stock-updates.v1 (a batch import every few minutes). Each fires and ' +
    'resolves dozens of times; each rule is one incident (a threshold to fix, not dozens of ' +
    'outages). In the middle, the external payment provider times out for 40 minutes: ' +
    'psp-connector, payment, checkout, the storefront and the gateway alert: one more incident.',
  durationMinutes: 240,
  build(b) {
    const eu = new IncidentKit(b, 'prod-eu-1');
    const search = b.truth('search-latency-rule-flapping');
    const searchTarget = eu.target('search');
    for (const pod of searchTarget.pods) {
      const [template] = latencyAlerts({ ...searchTarget, pods: [pod] }, eu.r, between(1.0, 1.3));
      b.flap(template, search, b.at(eu.r.float(0, 20)), b.at(235), [1, 4], [1, 9]);
    }
    const lag = b.truth('warehouse-lag-rule-flapping');
    b.flap(
      consumerLag(eu.target('warehouse-sync'), 'stock-updates.v1', between(10_100, 14_000)),
      lag,
      b.at(5),
      b.at(238),
      [1.5, 4],
      [1, 6],
    );

    const psp = b.truth('payment-provider-timeouts');
    const fault = {
      kind: 'http' as const,
      target: 'checkout-live.adyen.com',
      mode: 'slow' as const,
      address: 'checkout-live.adyen.com:443',
    };
    eu.failingService(
      psp,
      'psp-connector',
      fault,
      {
        errors: { from: 100, to: 140 },
        latency: { from: 100.5, to: 140 },
        callers: { from: 101, to: 141 },
      },
      'slow',
      { reach: [1, 0.9, 0.6] },
    );

    addBackgroundNoise(b, { perHour: 11 });
  },
};
