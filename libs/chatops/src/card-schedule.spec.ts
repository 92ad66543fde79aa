import type { IncidentListItem } from '@vigil/incident-view';
import { CardSchedule, deservesCard } from './card-schedule';

const message = { channel: 'C1', ts: '1.000001' };

describe('CardSchedule', () => {
  it('posts a new incident at once, then updates the same message', () => {
    const schedule = new CardSchedule({ minIntervalMs: 1000 });
    schedule.changed('i1', 0);
    expect(schedule.due(0)).toEqual([{ kind: 'post', incidentId: 'i1' }]);
    schedule.succeeded('i1', 10, message);
    schedule.changed('i1', 2000);
    expect(schedule.due(2000)).toEqual([{ kind: 'update', incidentId: 'i1', message }]);
    schedule.succeeded('i1', 2010, { channel: 'C2', ts: 'other' });
    expect(schedule.message('i1')).toEqual(message);
  });

  it('never posts twice: changes while the post is in flight become one update after it', () => {
    const schedule = new CardSchedule({ minIntervalMs: 1000 });
    schedule.changed('i1', 0);
    expect(schedule.due(0)).toHaveLength(1);
    schedule.changed('i1', 5);
    schedule.changed('i1', 6);
    expect(schedule.due(7)).toEqual([]);
    expect(schedule.nextDueAt()).toBeUndefined(); // waits for the post to be reported
    schedule.succeeded('i1', 50, message);
    expect(schedule.nextDueAt()).toBe(1050);
    expect(schedule.due(1049)).toEqual([]);
    expect(schedule.due(1050)).toEqual([{ kind: 'update', incidentId: 'i1', message }]);
  });

  it('coalesces a burst into at most one update per interval, ending with a call after the last change', () => {
    const schedule = new CardSchedule({ minIntervalMs: 1000 });
    schedule.changed('i1', 0);
    schedule.due(0);
    schedule.succeeded('i1', 0, message);
    const calls: number[] = [];
    for (let now = 0; now <= 5000; now += 100) {
      if (now <= 3000) schedule.changed('i1', now); // a change every 100 ms for 3 s
      for (const work of schedule.due(now)) {
        calls.push(now);
        schedule.succeeded(work.incidentId, now);
      }
    }
    expect(calls).toEqual([1000, 2000, 3000]);
    for (let i = 1; i < calls.length; i++)
      expect(calls[i] - calls[i - 1]).toBeGreaterThanOrEqual(1000);
    expect(schedule.nextDueAt()).toBeUndefined();
  });

  it('throttles each incident on its own', () => {
    const schedule = new CardSchedule({ minIntervalMs: 1000 });
    schedule.changed('i1', 0);
    schedule.changed('i2', 0);
    expect(schedule.due(0).map((w) => w.incidentId)).toEqual(['i1', 'i2']);
  });

  it('retries a failed call later with backoff, honouring Retry-After, and keeps the message', () => {
    const schedule = new CardSchedule({ minIntervalMs: 1000, retryBaseMs: 2000, retryMaxMs: 5000 });
    schedule.changed('i1', 0);
    schedule.due(0);
    schedule.succeeded('i1', 0, message);
    schedule.changed('i1', 1000);
    schedule.due(1000);
    expect(schedule.failed('i1', 1000)).toBe(2000);
    expect(schedule.due(2999)).toEqual([]);
    expect(schedule.due(3000)).toEqual([{ kind: 'update', incidentId: 'i1', message }]);
    expect(schedule.failed('i1', 3000)).toBe(4000);
    schedule.due(7000);
    expect(schedule.failed('i1', 7000)).toBe(5000); // capped
    schedule.due(12000);
    expect(schedule.failed('i1', 12000, { retryAfterMs: 30_000 })).toBe(30_000);
    schedule.due(42000);
    schedule.succeeded('i1', 42000);
    schedule.changed('i1', 43000);
    schedule.due(43000);
    expect(schedule.failed('i1', 43000)).toBe(2000); // the count starts again after a success
  });

  it('posts anew when the message is gone, and retries a failed post as a post', () => {
    const schedule = new CardSchedule({ minIntervalMs: 1000, retryBaseMs: 1000 });
    schedule.changed('i1', 0);
    schedule.due(0);
    schedule.failed('i1', 0);
    expect(schedule.due(1000)).toEqual([{ kind: 'post', incidentId: 'i1' }]);
    schedule.succeeded('i1', 1000, message);
    schedule.changed('i1', 3000);
    schedule.due(3000);
    schedule.failed('i1', 3000, { forgetMessage: true });
    expect(schedule.due(4000)).toEqual([{ kind: 'post', incidentId: 'i1' }]);
  });

  it('forgets the least recently changed settled cards beyond its bound, never one with work', () => {
    const schedule = new CardSchedule({ maxCards: 2 });
    schedule.changed('old', 0);
    schedule.due(0);
    schedule.succeeded('old', 0, message);
    schedule.changed('busy', 1); // dirty: kept
    schedule.changed('new', 2);
    expect(['old', 'busy', 'new'].filter((id) => schedule.has(id))).toEqual(['busy', 'new']);
  });
});

describe('deservesCard', () => {
  const item = (status: IncidentListItem['status'], updatedAt: string): IncidentListItem => ({
    incidentId: 'i1',
    title: 't',
    severity: 'critical',
    status,
    services: [],
    alertCount: 1,
    openedAt: updatedAt,
    updatedAt,
  });
  const now = Date.parse('2026-11-27T11:00:00Z');
  it('gives a card to open, recent incidents only', () => {
    expect(deservesCard(item('open', '2026-11-27T10:30:00Z'), now, 60 * 60_000)).toBe(true);
    expect(deservesCard(item('acknowledged', '2026-11-27T10:30:00Z'), now, 60 * 60_000)).toBe(true);
    expect(deservesCard(item('resolved', '2026-11-27T10:59:00Z'), now, 60 * 60_000)).toBe(false);
    expect(deservesCard(item('open', '2026-11-27T09:59:00Z'), now, 60 * 60_000)).toBe(false);
  });
});
