import { decodeEvent, Topics } from '@vigil/contracts';
import { cliPolicyEvent, silenceLine, windowLine } from './silence-command';

const silence = {
  id: 'sil-1',
  matchers: [
    { name: 'service', op: '=' as const, value: 'db' },
    { name: 'env', op: '=~' as const, value: 'prod.*' },
  ],
  startsAt: '2026-12-01T10:00:00.000Z',
  endsAt: '2026-12-01T12:00:00.000Z',
  createdBy: 'bob',
  comment: 'upgrade',
};

describe('vigil silence', () => {
  it('shows a silence with its state and matchers as they are typed', () => {
    expect(silenceLine(silence, Date.parse('2026-12-01T11:00:00Z'))).toBe(
      'sil-1  ACTIVE   {service="db", env=~"prod.*"}  2026-12-01T10:00:00.000Z .. 2026-12-01T12:00:00.000Z  by bob: upgrade',
    );
  });

  it('shows when a weekly window comes back', () => {
    const window = {
      id: 'mw-1',
      matchers: [{ name: 'cluster', op: '=' as const, value: 'eu' }],
      mode: 'open-no-remediate' as const,
      createdBy: 'bob',
      comment: 'patching',
      schedule: {
        kind: 'weekly' as const,
        days: ['tue' as const],
        start: '22:00',
        durationMs: 7_200_000,
        timeZone: 'Europe/Berlin',
      },
    };
    expect(windowLine(window, 'scheduled')).toContain('tue 22:00 Europe/Berlin for 120 min');
  });

  it('writes changes the topic accepts, with who made them', () => {
    const event = cliPolicyEvent('bob', { type: 'silence.created', silence });
    const decoded = decodeEvent(Topics.alertPolicy, JSON.stringify(event));
    expect(decoded).toMatchObject({ ok: true, value: { by: { user: 'bob' }, via: 'cli' } });
  });
});
