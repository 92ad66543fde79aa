import { IncidentKit } from '../incident-kit';
import { addBackgroundNoise } from '../noise';
import type { Scenario } from './scenario';

export const badDeploy: Scenario = {
  id: 's05-bad-deploy',
  title: 'A bad deploy of checkout',
  models:
    'checkout v2.41.0 rolls out in prod-eu-1 at minute 45 with a null-pointer bug in promotion ' +
    'handling. New pods crash-loop, the rollout gets stuck, Argo CD reports the app Degraded, the ' +
    'requests that reach new pods fail (SLO burn, error logs, latency), and the storefront, the ' +
    'mobile BFF and the gateway see 5xx from checkout. Rolled back at minute 80: one incident. ' +
    'Later the currency service loses its exchange-rate feed and pricing and checkout slow down ' +
    '(same services, same alert names, different cause): a second incident.',
  durationMinutes: 180,
  build(b) {
    const eu = new IncidentKit(b, 'prod-eu-1');
    const truth = b.truth('checkout-bad-deploy');
    eu.badRelease(truth, 'checkout', {
      version: 'v2.41.0',
      revision: 'a3f9c2e71b4d',
      language: 'java',
      spans: {
        pods: { from: 45, to: 82 },
        rollout: { from: 60, to: 82 },
        argo: { from: 50, to: 84 },
        errors: { from: 46, to: 83 },
        latency: { from: 47, to: 83 },
        logs: { from: 46, to: 82 },
        callers: { from: 47, to: 84 },
      },
    });

    const rates = b.truth('currency-feed-stale');
    const feed = {
      kind: 'http' as const,
      target: 'rates.fx-provider.example',
      mode: 'down' as const,
    };
    eu.failingService(
      rates,
      'currency',
      feed,
      { errors: { from: 100, to: 128 }, callers: { from: 101, to: 129 } },
      'slow',
      { reach: [0.9, 0.6, 0.3] },
    );

    addBackgroundNoise(b, { perHour: 12 });
  },
};
