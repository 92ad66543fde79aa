import type { MaintenanceWindow } from '@vigil/contracts';
import { canExpire, matchersText, windowRequest, windowWhen } from './silences';

const window = (schedule: MaintenanceWindow['schedule']): MaintenanceWindow => ({
  id: 'mw-1',
  matchers: [{ name: 'service', op: '=', value: 'db' }],
  mode: 'suppress',
  createdBy: 'rita',
  comment: '',
  schedule,
});

describe('silences page words', () => {
  it('shows matchers as Alertmanager writes them, quotes escaped', () => {
    expect(
      matchersText([
        { name: 'service', op: '=', value: 'db' },
        { name: 'msg', op: '!~', value: 'say "hi"' },
      ]),
    ).toBe('{service="db", msg!~"say \\"hi\\""}');
  });

  it('says when a window is on, once or every week', () => {
    expect(
      windowWhen(
        window({
          kind: 'once',
          startsAt: '2026-12-01T10:00:00.000Z',
          endsAt: '2026-12-01T12:30:00.000Z',
        }),
      ),
    ).toBe('2026-12-01 10:00 UTC to 2026-12-01 12:30 UTC');
    expect(
      windowWhen(
        window({
          kind: 'weekly',
          days: ['tue', 'thu'],
          start: '22:00',
          durationMs: 7_200_000,
          timeZone: 'Europe/Berlin',
        }),
      ),
    ).toBe('every tue, thu at 22:00 (Europe/Berlin) for 2 h');
  });

  it('offers to expire only what is not over', () => {
    expect(canExpire({ state: 'active' })).toBe(true);
    expect(canExpire({ state: 'expired' })).toBe(false);
  });

  it('turns the form into a one-off or weekly window request', () => {
    const form = {
      matchers: 'service="db"',
      mode: 'open-no-remediate' as const,
      recurring: false,
      duration: '2h',
      days: 'tue, thu',
      start: '22:00',
      timeZone: 'Europe/Berlin',
      comment: 'patching',
    };
    expect(windowRequest(form)).toEqual({
      matchers: 'service="db"',
      mode: 'open-no-remediate',
      comment: 'patching',
      schedule: { kind: 'once', duration: '2h' },
    });
    expect(windowRequest({ ...form, recurring: true }).schedule).toEqual({
      kind: 'weekly',
      days: ['tue', 'thu'],
      start: '22:00',
      duration: '2h',
      timeZone: 'Europe/Berlin',
    });
  });
});
