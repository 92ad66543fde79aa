import type { Alert } from '@vigil/contracts';
import { alertFingerprint } from '../alert-fingerprint';
import { alertmanagerGrouping, fingerprintGrouping } from './baseline-groupings';

const t0 = Date.parse('2026-03-02T10:00:00Z');

function alert(minute: number, labels: Record<string, string>, extra: Partial<Alert> = {}): Alert {
  const at = new Date(t0 + minute * 60_000).toISOString();
  return {
    schemaVersion: 1,
    fingerprint: alertFingerprint(labels),
    source: 'test',
    status: 'firing',
    alertname: labels.alertname ?? 'Unnamed',
    severity: 'warning',
    service: labels.service ?? 'unknown',
    labels,
    annotations: {},
    startsAt: at,
    receivedAt: at,
    ...extra,
  };
}

describe('fingerprintGrouping', () => {
  it('puts every occurrence of a fingerprint in one group, even after it resolved', () => {
    const disk = { alertname: 'DiskFull', service: 'db', instance: 'db-1' };
    const groups = fingerprintGrouping([
      alert(0, disk),
      alert(5, { ...disk, instance: 'db-2' }),
      alert(10, disk, { status: 'resolved' }),
      alert(300, disk),
    ]);
    expect(groups[0]).toBe(groups[2]);
    expect(groups[0]).toBe(groups[3]);
    expect(groups[1]).not.toBe(groups[0]);
  });
});

describe('alertmanagerGrouping', () => {
  const latency = (service: string, cluster: string, pod: string) => ({
    alertname: 'HighLatency',
    service,
    cluster,
    pod,
  });

  it('groups by alertname, cluster and service, ignoring other labels', () => {
    const groups = alertmanagerGrouping([
      alert(0, latency('checkout', 'eu', 'checkout-a')),
      alert(1, latency('checkout', 'eu', 'checkout-b')),
      alert(1, latency('checkout', 'us', 'checkout-a')),
      alert(2, latency('cart', 'eu', 'cart-a')),
      alert(2, { ...latency('checkout', 'eu', 'checkout-a'), alertname: 'HighErrorRate' }),
    ]);
    expect(groups[0]).toBe(groups[1]);
    expect(new Set(groups).size).toBe(4);
  });

  it('starts a new group after a key was idle for more than the gap (default 5 minutes)', () => {
    const a = latency('checkout', 'eu', 'checkout-a');
    const groups = alertmanagerGrouping([
      alert(0, a),
      alert(4, a),
      alert(9, a), // 5 min after the last one: still the same group
      alert(14.5, a), // 5.5 min idle: a new group
      alert(15, a),
    ]);
    expect(groups.slice(0, 3)).toEqual([groups[0], groups[0], groups[0]]);
    expect(groups[3]).not.toBe(groups[0]);
    expect(groups[4]).toBe(groups[3]);
  });

  it('keeps the plain label grouping with an infinite gap and honours a custom groupBy', () => {
    const a = latency('checkout', 'eu', 'checkout-a');
    const plain = alertmanagerGrouping([alert(0, a), alert(600, a)], { idleGapMs: Infinity });
    expect(plain[0]).toBe(plain[1]);
    const byPod = alertmanagerGrouping([alert(0, a), alert(1, { ...a, pod: 'checkout-b' })], {
      groupBy: ['pod'],
    });
    expect(byPod[0]).not.toBe(byPod[1]);
  });

  it('visits alerts in time order but answers in input order', () => {
    const a = latency('checkout', 'eu', 'checkout-a');
    // input out of order: minute 20 first; in time order 0 -> 20 is a 20-minute gap
    const groups = alertmanagerGrouping([alert(20, a), alert(0, a), alert(22, a)]);
    expect(groups[0]).toBe(groups[2]);
    expect(groups[1]).not.toBe(groups[0]);
  });

  it('falls back to the alert fields for alertname and service, and to "" for others', () => {
    const unlabelled = alert(0, { instance: 'x' }, { alertname: 'Disk', service: 'db' });
    const labelled = alert(1, { alertname: 'Disk', service: 'db', instance: 'y' });
    const groups = alertmanagerGrouping([unlabelled, labelled]);
    expect(groups[0]).toBe(groups[1]);
  });
});
