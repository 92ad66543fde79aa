import { IncidentKit } from '../incident-kit';
import { addBackgroundNoise } from '../noise';
import { argoDegraded, rolloutStuck } from '../rules/kubernetes-rules';
import { errorLogBurst, errorMessage } from '../rules/service-rules';
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
    const w = eu.workload('checkout');
    const newPods = eu.pods('checkout', `${b.id}/v2.41.0`);
    eu.unhealthyPods(truth, 'checkout', newPods, { from: 45, to: 82 }, true);
    eu.emit([rolloutStuck(w)], truth, { from: 60, to: 82 });
    eu.emit([argoDegraded(w, 'a3f9c2e71b4d')], truth, { from: 50, to: 84 });
    const bug = { kind: 'internal' as const, target: 'checkout', mode: 'bug' as const };
    eu.errors(truth, 'checkout', { from: 46, to: 83 }, bug);
    eu.latency(truth, 'checkout', { from: 47, to: 83 });
    eu.emit([errorLogBurst(eu.target('checkout'), errorMessage(eu.r, 'java', bug))], truth, {
      from: 46,
      to: 82,
    });
    eu.propagate(
      truth,
      'checkout',
      { kind: 'http', target: 'checkout', mode: 'down' },
      { from: 47, to: 84 },
      { reach: [0.95, 0.8] },
    );

    const rates = b.truth('currency-feed-stale');
    const feed = {
      kind: 'http' as const,
      target: 'rates.fx-provider.example',
      mode: 'down' as const,
    };
    eu.errors(rates, 'currency', { from: 100, to: 128 }, feed);
    eu.propagate(
      rates,
      'currency',
      { kind: 'http', target: 'currency', mode: 'slow' },
      { from: 101, to: 129 },
      { reach: [0.9, 0.6, 0.3] },
    );

    addBackgroundNoise(b, { perHour: 12 });
  },
};
