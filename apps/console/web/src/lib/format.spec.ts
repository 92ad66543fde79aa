import {
  describeAttachReason,
  fromLocalInputValue,
  toLocalInputValue,
  errorMessage,
  formatAttributes,
  formatScore,
  planProvenance,
  relativeTime,
} from './format';

describe('format', () => {
  const now = Date.parse('2025-06-01T12:00:00.000Z');

  it('gives relative times', () => {
    expect(relativeTime('2025-06-01T11:59:58.000Z', now)).toBe('just now');
    expect(relativeTime('2025-06-01T11:59:18.000Z', now)).toBe('42s ago');
    expect(relativeTime('2025-06-01T11:55:00.000Z', now)).toBe('5m ago');
    expect(relativeTime('2025-06-01T09:00:00.000Z', now)).toBe('3h ago');
    expect(relativeTime('2025-05-29T12:00:00.000Z', now)).toBe('3d ago');
    expect(relativeTime('2025-06-01T12:10:00.000Z', now)).toBe('in 10m');
    expect(relativeTime('2025-06-01T12:00:20.000Z', now)).toBe('just now');
    expect(relativeTime('not a time', now)).toBe('—');
  });

  it('says why an alert joined', () => {
    expect(describeAttachReason({ kind: 'first-alert' }).label).toBe('first alert');
    expect(describeAttachReason({ kind: 'same-fingerprint' }).label).toBe('same fingerprint');
    expect(describeAttachReason({ kind: 'similar-text', score: 0.873, similarTo: 'fp-1' })).toEqual(
      {
        label: 'similar text',
        detail: 'score 0.87, similar to fp-1',
      },
    );
    expect(
      describeAttachReason({ kind: 'topology-neighbour', hops: 2, via: ['cart', 'redis'] }),
    ).toEqual({ label: 'topology neighbour', detail: '2 hops via cart → redis' });
    expect(describeAttachReason({ kind: 'topology-neighbour', hops: 0, via: [] }).detail).toBe(
      'on a service already in the incident',
    );
  });

  it('writes key=value details, quoting what needs it', () => {
    expect(
      formatAttributes({ replicas: 3, dryRun: true, note: 'two words', none: null, s: 'x' }),
    ).toEqual(['replicas=3', 'dryRun=true', 'note="two words"', 'none=null', 's=x']);
    expect(formatAttributes(undefined)).toEqual([]);
  });

  it('formats scores and provenance', () => {
    expect(formatScore(0.91234)).toBe('0.91');
    expect(formatScore(12.345)).toBe('12.3');
    expect(formatScore(1234.5)).toBe('1235');
    expect(
      planProvenance({ provenance: { model: 'qwen', promptHash: 'h', fallbackUsed: false } }),
    ).toBe('model qwen');
    expect(
      planProvenance({ provenance: { model: 'qwen', promptHash: 'h', fallbackUsed: true } }),
    ).toBe('known-good fallback');
  });

  it('reads error bodies', () => {
    expect(errorMessage({ statusCode: 403, message: 'bob is a viewer' }, 'x')).toBe(
      'bob is a viewer',
    );
    expect(errorMessage({ message: ['a', 'b'] }, 'x')).toBe('a; b');
    expect(errorMessage('nope', 'fallback')).toBe('fallback');
  });
});

describe('datetime-local values', () => {
  it('round-trips local minutes', () => {
    const iso = fromLocalInputValue('2025-06-01T10:30');
    expect(iso).not.toBe('');
    expect(toLocalInputValue(iso)).toBe('2025-06-01T10:30');
    expect(fromLocalInputValue('')).toBe('');
    expect(fromLocalInputValue('junk')).toBe('');
    expect(toLocalInputValue('')).toBe('');
  });
});
