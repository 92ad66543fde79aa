import { stormAlerts } from './alert-storm';

describe('stormAlerts', () => {
  const options = { prefix: 's1-', groups: 4, perGroup: 3, repeats: 2, seconds: 60 };
  const services = (alerts: ReturnType<typeof stormAlerts>) =>
    [...new Set(alerts.map((a) => a.body.service))].sort();
  const fingerprints = (alerts: ReturnType<typeof stormAlerts>) =>
    new Set(alerts.map((a) => a.body.fingerprint));

  it('gives every storm services and fingerprints of its own by default', () => {
    const first = stormAlerts(options, 0);
    const second = stormAlerts({ ...options, prefix: 's2-' }, 0);
    expect(services(first)).toHaveLength(4);
    expect(services(first).some((s) => services(second).includes(s))).toBe(false);
  });

  it('sends new alerts to the same services when storms share a service prefix', () => {
    const first = stormAlerts({ ...options, servicePrefix: 'estate-' }, 0);
    const second = stormAlerts({ ...options, prefix: 's2-', servicePrefix: 'estate-' }, 60_000);
    expect(services(second)).toEqual(services(first));
    const seen = fingerprints(first);
    expect([...fingerprints(second)].some((f) => seen.has(f))).toBe(false);
  });

  it('sends each alert as often as asked, in time order', () => {
    const alerts = stormAlerts(options, 0);
    expect(alerts).toHaveLength(4 * 3 * 2);
    expect(alerts.map((a) => a.atMs)).toEqual([...alerts.map((a) => a.atMs)].sort((a, b) => a - b));
  });
});
