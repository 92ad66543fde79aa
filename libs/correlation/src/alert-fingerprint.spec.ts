import { alertFingerprint } from './alert-fingerprint';

describe('alertFingerprint', () => {
  it('is the same whatever the label order', () => {
    expect(alertFingerprint({ alertname: 'DiskFull', instance: 'db-1', service: 'orders' })).toBe(
      alertFingerprint({ service: 'orders', instance: 'db-1', alertname: 'DiskFull' }),
    );
  });

  it('differs when an identity label differs', () => {
    expect(alertFingerprint({ alertname: 'DiskFull', instance: 'db-1' })).not.toBe(
      alertFingerprint({ alertname: 'DiskFull', instance: 'db-2' }),
    );
  });

  it('ignores volatile labels such as the current value', () => {
    expect(alertFingerprint({ alertname: 'HighCPU', instance: 'a', value: '93' })).toBe(
      alertFingerprint({ alertname: 'HighCPU', instance: 'a', value: '97' }),
    );
  });

  it('does not confuse label boundaries', () => {
    expect(alertFingerprint({ a: 'b\nc=d' })).not.toBe(alertFingerprint({ a: 'b', c: 'd' }));
  });
});
