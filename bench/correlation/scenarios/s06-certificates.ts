import { IncidentKit } from '../incident-kit';
import { addBackgroundNoise } from '../noise';
import { ramp, steady } from '../rules/common';
import {
  type Certificate,
  certManagerExpirySoon,
  certManagerNotReady,
  datadogSslCheck,
  sslExpiringSoon,
  x509Renewal,
} from '../rules/infra-rules';
import type { Scenario } from './scenario';

const DAY = 86_400_000;

export const certificates: Scenario = {
  id: 's06-certificates',
  title: 'Certificate expiry, and two certificates that merely expire soon',
  models:
    'The internal mTLS certificate of payment (cert-manager, private CA) has failed to renew for ' +
    'days: cert-manager and the x509 exporter have been warning since before the window. At ' +
    'minute 100 it expires; checkout gets TLS handshake errors calling payment and the failure ' +
    'travels up to the storefront and the gateway until the issuer is fixed at minute 150. All of ' +
    'it is one incident. Two other certificates only warn all along: the public ' +
    'www.shop.example.com certificate (12 days left, renewal pending; blackbox, Datadog and ' +
    'cert-manager each warn) and the Kafka client certificate of order (18 days left): one ' +
    'incident each, although the wording is nearly the same.',
  durationMinutes: 240,
  build(b) {
    const eu = new IncidentKit(b, 'prod-eu-1');
    const truth = b.truth('payment-mtls-cert-expired');
    const mtls: Certificate = {
      cluster: eu.cluster,
      domain: 'payment.payments.svc',
      name: 'payment-mtls',
      namespace: 'payments',
      owner: 'payment',
    };
    const since = b.start - 6 * DAY;
    const daysLeft = ramp(0.42, 0, 0);
    eu.emit(
      [certManagerExpirySoon(mtls, daysLeft)],
      truth,
      { from: 0, to: 100 },
      { startedAt: since },
    );
    eu.emit(
      [certManagerNotReady(mtls)],
      truth,
      { from: 0, to: 152 },
      { startedAt: since + 2 * DAY },
    );
    eu.emit([x509Renewal(mtls, false)], truth, { from: 0, to: 100 }, { startedAt: since });
    eu.emit([x509Renewal(mtls, true)], truth, { from: 100, to: 152 });
    eu.propagate(
      truth,
      'payment',
      { kind: 'tls', target: 'payment.payments.svc', mode: 'expired' },
      { from: 100.5, to: 151 },
      { reach: [1, 0.9, 0.6] },
    );

    const web = b.truth('www-cert-renewal-pending');
    const www: Certificate = {
      cluster: eu.cluster,
      domain: 'www.shop.example.com',
      name: 'www-shop-tls',
      namespace: 'storefront',
      owner: 'storefront-bff',
    };
    const twelveDays = steady(12, 0);
    eu.emit(
      [sslExpiringSoon(www, twelveDays), datadogSslCheck(www, twelveDays)],
      web,
      { from: 0 },
      { startedAt: b.start - 8 * DAY, jitter: 6 },
    );
    eu.emit(
      [certManagerExpirySoon(www, twelveDays)],
      web,
      { from: 0 },
      { startedAt: b.start - 2 * DAY },
    );

    const client = b.truth('kafka-client-cert-renewal');
    const kafkaClient: Certificate = {
      cluster: eu.cluster,
      domain: 'order.kafka-clients.shop.internal',
      name: 'kafka-client-order',
      namespace: 'checkout',
      owner: 'order',
    };
    eu.emit(
      [x509Renewal(kafkaClient, false)],
      client,
      { from: 0 },
      { startedAt: b.start - 3 * DAY },
    );

    addBackgroundNoise(b, { perHour: 10 });
  },
};
