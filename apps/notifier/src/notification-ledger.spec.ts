import { appendFileSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { IncidentNotification } from '@vigil/notification';
import { NotificationLedger } from './notification-ledger';

const trigger: IncidentNotification = {
  incidentId: 'inc-1',
  action: 'trigger',
  title: 'checkout errors',
  severity: 'error',
  services: ['checkout'],
  labels: {},
  at: '2026-12-02T10:00:00.000Z',
};

describe('NotificationLedger', () => {
  it('remembers deliveries and triggers across a restart, per consumer group', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vigil-ledger-'));
    const first = new NotificationLedger(dir, 'group-a');
    first.rememberIncident(trigger);
    first.sent('pd|inc-1|trigger');
    first.deadLettered('hook|inc-1|trigger', 'HTTP 500');

    const again = new NotificationLedger(dir, 'group-a');
    expect(again.handled('pd|inc-1|trigger')).toBe(true);
    // dead-lettered is not delivered: a replay of the DLQ record tries it again
    expect(again.handled('hook|inc-1|trigger')).toBe(false);
    expect(again.handled('pd|inc-1|resolve')).toBe(false);
    expect(again.incident('inc-1')).toEqual(trigger);
    expect(new NotificationLedger(dir, 'group-b').handled('pd|inc-1|trigger')).toBe(false);
  });

  it('skips a line a crash cut short', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vigil-ledger-'));
    new NotificationLedger(dir, 'g').sent('a|i|trigger');
    const [file] = readdirSync(dir);
    appendFileSync(join(dir, file ?? ''), '{"kind":"sent","ke');
    const again = new NotificationLedger(dir, 'g');
    expect(again.handled('a|i|trigger')).toBe(true);
  });
});
