import { labelsFingerprint } from './alert-fingerprint';

describe('labelsFingerprint', () => {
  it("is Alertmanager's fingerprint (prometheus/common's test vectors)", () => {
    expect(labelsFingerprint({})).toBe(BigInt('14695981039346656037').toString(16));
    expect(labelsFingerprint({ name: 'garland, briggs', fear: 'love is not enough' })).toBe(
      BigInt('5799056148416392346').toString(16).padStart(16, '0'),
    );
  });

  it('does not depend on label order, and tells label boundaries apart', () => {
    expect(labelsFingerprint({ a: '1', b: '2' })).toBe(labelsFingerprint({ b: '2', a: '1' }));
    expect(labelsFingerprint({ a: 'b', c: '' })).not.toBe(labelsFingerprint({ a: '', bc: '' }));
  });

  it('hashes UTF-8, as Go does', () => {
    expect(labelsFingerprint({ service: 'café' })).not.toBe(labelsFingerprint({ service: 'cafe' }));
    expect(labelsFingerprint({ service: 'café' })).toMatch(/^[0-9a-f]{16}$/);
  });
});
