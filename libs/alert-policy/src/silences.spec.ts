import { MatcherError } from './label-matchers';
import { PolicyError } from './policy-error';
import { checkSilence, importAlertmanagerSilences, silenceActive, silenceState } from './silences';

const silence = {
  id: 'sil-1',
  matchers: [{ name: 'service', op: '=' as const, value: 'checkout' }],
  startsAt: '2026-12-01T10:00:00Z',
  endsAt: '2026-12-01T12:00:00Z',
  createdBy: 'alice',
  comment: 'database upgrade',
};

describe('checkSilence', () => {
  it('refuses a silence that ends before it starts', () => {
    expect(() => checkSilence({ ...silence, endsAt: '2026-12-01T09:00:00Z' })).toThrow(
      new PolicyError(
        'the silence ends (2026-12-01T09:00:00Z) before it starts (2026-12-01T10:00:00Z)',
      ),
    );
  });

  it('refuses matchers that would silence every alert', () => {
    const all = { ...silence, matchers: [{ name: 'team', op: '=~', value: '.*' }] };
    expect(() => checkSilence(all)).toThrow(/would match every alert/);
  });

  it('names a matcher whose regex does not compile', () => {
    const bad = { ...silence, matchers: [{ name: 'job', op: '=~', value: 'api(' }] };
    expect(() => checkSilence(bad)).toThrow(MatcherError);
    expect(() => checkSilence(bad)).toThrow(/bad matcher job=~"api\(": invalid regular expression/);
  });

  it('names a missing field', () => {
    expect(() => checkSilence({ ...silence, createdBy: undefined })).toThrow(/createdBy/);
  });
});

describe('silenceActive', () => {
  it('holds from its start up to, not including, its end', () => {
    expect(silenceActive(silence, Date.parse('2026-12-01T09:59:59Z'))).toBe(false);
    expect(silenceActive(silence, Date.parse('2026-12-01T10:00:00Z'))).toBe(true);
    expect(silenceActive(silence, Date.parse('2026-12-01T12:00:00Z'))).toBe(false);
  });
});

describe('importAlertmanagerSilences', () => {
  // as GET /api/v2/silences returns them
  const body = [
    {
      id: '2d3f1e4a-0001',
      status: { state: 'active' },
      updatedAt: '2026-12-01T09:00:00.000Z',
      comment: 'rolling restart',
      createdBy: 'bob',
      startsAt: '2026-12-01T09:00:00.000Z',
      endsAt: '2026-12-01T13:00:00.000Z',
      matchers: [
        { name: 'cluster', value: 'prod-eu', isRegex: false, isEqual: true },
        { name: 'alertname', value: 'Kube.*', isRegex: true, isEqual: true },
        { name: 'namespace', value: 'kube-system', isRegex: false, isEqual: false },
        { name: 'pod', value: 'canary-.*', isRegex: true, isEqual: false },
      ],
    },
    {
      id: '2d3f1e4a-0002',
      status: { state: 'expired' },
      comment: 'old',
      createdBy: 'bob',
      startsAt: '2026-11-01T09:00:00.000Z',
      endsAt: '2026-11-01T10:00:00.000Z',
      matchers: [{ name: 'cluster', value: 'prod-eu', isRegex: false }],
    },
    {
      id: '2d3f1e4a-0003',
      status: { state: 'pending' },
      comment: 'bad regex',
      createdBy: 'carol',
      startsAt: '2026-12-01T14:00:00.000Z',
      endsAt: '2026-12-01T15:00:00.000Z',
      matchers: [{ name: 'job', value: '(unclosed', isRegex: true, isEqual: true }],
    },
    { id: 'nonsense' },
  ];

  it('takes the live ones with every operator and says why it skipped the rest', () => {
    const result = importAlertmanagerSilences(body, Date.parse('2026-12-01T10:00:00Z'));
    expect(result.silences).toEqual([
      {
        id: 'am-2d3f1e4a-0001',
        matchers: [
          { name: 'cluster', op: '=', value: 'prod-eu' },
          { name: 'alertname', op: '=~', value: 'Kube.*' },
          { name: 'namespace', op: '!=', value: 'kube-system' },
          { name: 'pod', op: '!~', value: 'canary-.*' },
        ],
        startsAt: '2026-12-01T09:00:00.000Z',
        endsAt: '2026-12-01T13:00:00.000Z',
        createdBy: 'bob',
        comment: 'rolling restart',
      },
    ]);
    expect(result.skipped).toEqual([
      { id: '2d3f1e4a-0002', reason: 'expired' },
      { id: '2d3f1e4a-0003', reason: expect.stringMatching(/bad matcher job=~"\(unclosed"/) },
      { id: '#3', reason: expect.stringMatching(/^not an Alertmanager silence/) },
    ]);
  });

  it('refuses what is not a list', () => {
    expect(() => importAlertmanagerSilences({ silences: [] }, 0)).toThrow(/JSON array/);
  });
});

describe('silenceState', () => {
  it('is pending, then active, then expired', () => {
    const s = checkSilence(silence);
    expect(silenceState(s, Date.parse('2026-12-01T09:00:00Z'))).toBe('pending');
    expect(silenceState(s, Date.parse('2026-12-01T11:00:00Z'))).toBe('active');
    expect(silenceState(s, Date.parse('2026-12-01T12:00:00Z'))).toBe('expired');
  });
});
