import { IncidentKit } from '../incident-kit';
import { addBackgroundNoise } from '../noise';
import { argoDegraded } from '../rules/kubernetes-rules';
import type { Scenario } from './scenario';

export const providerAndDeploy: Scenario = {
  id: 's12-provider-and-deploy',
  title: 'A payment-provider outage and an unrelated bad deploy at the same time',
  models:
    'At minute 50 the external payment provider starts failing: psp-connector and payment ' +
    '(Datadog), checkout (SLO burn), the storefront and the gateway (ingress, CloudWatch ALB) ' +
    'alert. Five minutes later a loyalty release crash-loops and breaks the loyalty API, which ' +
    'the mobile BFF reports. Both storms are in prod-eu-1, overlap for half an hour and both ' +
    'reach the BFF layer (storefront for one, mobile for the other): two incidents.',
  durationMinutes: 210,
  build(b) {
    const eu = new IncidentKit(b, 'prod-eu-1');
    const psp = b.truth('payment-provider-outage');
    eu.failingService(
      psp,
      'psp-connector',
      {
        kind: 'http',
        target: 'checkout-live.adyen.com',
        mode: 'down',
        address: 'checkout-live.adyen.com:443',
      },
      { errors: { from: 50, to: 112 }, callers: { from: 51, to: 113 } },
      'down',
      { reach: [1, 1, 0.8, 0.8], exclude: ['mobile-bff'] },
    );

    const loyalty = b.truth('loyalty-bad-deploy');
    const newPods = eu.pods('loyalty', `${b.id}/v3.2.0`);
    eu.unhealthyPods(loyalty, 'loyalty', newPods, { from: 55, to: 92 }, true);
    eu.emit([argoDegraded(eu.workload('loyalty'), '9be01d44c2aa')], loyalty, { from: 58, to: 93 });
    eu.failingService(
      loyalty,
      'loyalty',
      { kind: 'internal', target: 'loyalty', mode: 'bug' },
      { errors: { from: 56, to: 92 }, callers: { from: 57, to: 93 } },
      'down',
      { reach: [1, 0], exclude: ['api-gateway'] },
    );

    addBackgroundNoise(b, { perHour: 12 });
  },
};
