import { IncidentKit } from '../incident-kit';
import { addBackgroundNoise } from '../noise';
import { ramp } from '../rules/common';
import { fsFillingUp, sslExpiringSoon } from '../rules/infra-rules';
import { deprecatedApiInUse, idsDetection, watchdogs } from './chronic-rules';
import { eq, re } from './policy-book';
import type { StormScenario } from './storm-family';

const HOUR = 3_600_000;

export const badReleaseSilenced: StormScenario = {
  id: 'n3-bad-release-silenced',
  title: 'A bad cart release, silenced half-way, among chronic and security alerts',
  models:
    'A standing silence (since two days) mutes CPUThrottlingHigh everywhere. The cart v3.2.0 ' +
    'release crash-loops in prod-eu-1: new pods, a stuck rollout, Argo CD degraded, errors, ' +
    'latency and error logs in cart and its callers up to the gateway: one incident. Twelve ' +
    'minutes in, the on-call silences the crash-loop and not-ready alerts of the checkout ' +
    'namespace for 90 minutes while rolling back. During it, on the same services: a WordPress ' +
    'login brute force against the gateway (IDS, six detections, no resolve), the internal ' +
    'checkout certificate due in 18 days, a node disk under a cart pod filling up. A deprecated ' +
    'API on storefront-bff and Watchdog fire all day. Later an SMS provider degrades in prod-us-1.',
  startMinute: 7 * 60 + 40,
  durationMinutes: 210,
  build(b, policy) {
    const eu = new IncidentKit(b, 'prod-eu-1');
    const us = new IncidentKit(b, 'prod-us-1');
    watchdogs([eu, us], b.start - 12 * 24 * HOUR);
    b.series(
      deprecatedApiInUse(
        eu.cluster,
        'storefront-bff',
        'storefront',
        'policy/poddisruptionbudgets',
        'v1beta1',
      ),
      b.truth('storefront-deprecated-api'),
      { from: b.start, startedAt: b.start - 3 * 24 * HOUR },
    );
    policy.silence(
      'cpu-throttling-muted',
      [eq('alertname', 'CPUThrottlingHigh')],
      b.start - 48 * HOUR,
      b.start + 5 * 24 * HOUR,
      'platform-team',
      'CFS quota tuning tracked in PLAT-2291',
    );

    const release = b.truth('cart-v3.2.0-crashloop');
    eu.badRelease(release, 'cart', {
      version: 'v3.2.0',
      revision: '7c1e90d2f5ab',
      language: 'go',
      spans: {
        pods: { from: 50, to: 101 },
        rollout: { from: 64, to: 101 },
        argo: { from: 54, to: 103 },
        errors: { from: 51, to: 102 },
        latency: { from: 52, to: 100 },
        logs: { from: 51, to: 100 },
        callers: { from: 52, to: 104 },
      },
    });
    policy.silence(
      'cart-rollback',
      [re('alertname', 'KubePodCrashLooping|KubePodNotReady'), eq('namespace', 'checkout')],
      b.at(62),
      b.at(152),
      'bob',
      'cart v3.2.0 rollback in progress',
    );

    // the same services, the same hour, other reasons
    const brute = b.truth('ids-wordpress-bruteforce');
    const login = idsDetection(
      eu.cluster,
      'api-gateway',
      'ET WEB_SERVER WordPress Login Bruteforce Attempt',
      2019512,
      '45.146.164.110',
    );
    for (const minute of [58, 61, 66, 79, 90, 101]) b.series(login, brute, { from: b.at(minute) });
    const cert = {
      cluster: eu.cluster,
      domain: 'checkout.checkout.svc',
      name: 'checkout-internal-tls',
      namespace: 'checkout',
      owner: 'checkout',
    };
    eu.emit(
      [sslExpiringSoon(cert, () => 18)],
      b.truth('checkout-internal-cert-due'),
      { from: 68 },
      { startedAt: b.start - 20 * HOUR },
    );
    const cartNode =
      eu.cluster.nodes.find((n) => n.name === eu.pods('cart')[0].node) ?? eu.cluster.nodes[0];
    const disk = {
      cluster: eu.cluster,
      host: cartNode,
      onVm: false,
      device: '/dev/nvme0n1p1',
      mountpoint: '/var/lib/containerd',
      sizeGb: 100,
    };
    eu.emit([fsFillingUp(disk, 'warning', ramp(21, 14))], b.truth('cart-node-disk-filling'), {
      from: 57,
      to: 170,
    });

    const sms = b.truth('us-sms-provider-degraded');
    const provider = {
      kind: 'http' as const,
      target: 'api.sms-provider.example',
      mode: 'slow' as const,
    };
    us.failingService(
      sms,
      'sms-gateway',
      provider,
      { errors: { from: 125, to: 162 }, callers: { from: 127, to: 164 } },
      'slow',
      { reach: [0.8] },
    );

    addBackgroundNoise(b, { perHour: 10 });
  },
};
