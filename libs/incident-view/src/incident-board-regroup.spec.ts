import type { IncidentEvent } from '@vigil/contracts';
import { IncidentBoard } from './incident-board';

const at = '2026-11-27T10:00:00.000Z';
const summary = (alertCount: number) => ({
  title: 'trouble',
  severity: 'critical' as const,
  status: 'open' as const,
  services: ['db'],
  alertCount,
  openedAt: at,
  updatedAt: at,
});

function placed(
  incidentId: string,
  seq: number,
  fingerprint: string,
  reason: Extract<IncidentEvent, { type: 'opened' }>['reason'] = { kind: 'first-alert' },
  alertCount = 1,
): IncidentEvent {
  return {
    schemaVersion: 1,
    eventId: `${incidentId}:${seq}`,
    incidentId,
    at,
    type: seq === 1 ? 'opened' : 'alert-attached',
    fingerprint,
    reason,
    ...(reason.kind !== 'split-by-people' && {
      alert: {
        alertname: fingerprint.toUpperCase(),
        service: 'db',
        severity: 'critical',
        startsAt: at,
      },
    }),
    incident: summary(alertCount),
  };
}

describe('IncidentBoard: merges and splits', () => {
  it('shows the alerts of a merged incident under the one it was merged into', () => {
    const board = new IncidentBoard();
    board.applyIncidentEvent(placed('inc-a', 1, 'fa'));
    board.applyIncidentEvent(placed('inc-b', 1, 'fb'));
    board.applyIncidentEvent({
      schemaVersion: 1,
      eventId: 'inc-a:2',
      incidentId: 'inc-a',
      at,
      type: 'merged',
      mergedIncidentId: 'inc-b',
      incident: summary(2),
    });
    expect(board.get('inc-a')?.alerts.map((a) => a.fingerprint)).toEqual(['fa', 'fb']);
    expect(board.get('inc-b')?.mergedInto).toBe('inc-a');
  });

  it('moves a split alert, with its details, to its new incident only', () => {
    const board = new IncidentBoard();
    board.applyIncidentEvent(placed('inc-a', 1, 'fa'));
    board.applyIncidentEvent(placed('inc-a', 2, 'fx', { kind: 'same-fingerprint' }, 2));
    const reason = {
      kind: 'split-by-people' as const,
      fromIncidentId: 'inc-a',
      feedbackId: 'fb-1',
    };
    board.applyIncidentEvent(placed('inc-new', 1, 'fx', reason));
    expect(board.get('inc-a')).toMatchObject({ alertCount: 1, alerts: [{ fingerprint: 'fa' }] });
    expect(board.get('inc-new')?.alerts).toEqual([
      expect.objectContaining({
        fingerprint: 'fx',
        reason,
        alert: expect.objectContaining({ alertname: 'FX' }),
      }),
    ]);
    expect(board.get('inc-new')?.timeline.at(-1)?.text).toBe(
      'opened by people: fx split out of inc-a',
    );
  });
});
