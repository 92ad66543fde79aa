import { BadRequestException } from '@nestjs/common';
import type { TopologyRepository } from '@vigil/graph';
import { IncidentBoard } from '@vigil/incident-view';
import type { EventPublisher } from '@vigil/messaging';
import type { IncidentFeed } from './incident-feed.service';
import { IncidentsController } from './incidents.controller';

const at = '2026-11-27T10:00:00.000Z';

function controllerOver(): IncidentsController {
  const board = new IncidentBoard();
  for (const [incidentId, severity] of [
    ['inc-a', 'critical'],
    ['inc-b', 'warning'],
  ] as const)
    board.applyIncidentEvent({
      schemaVersion: 1,
      eventId: `${incidentId}:1`,
      incidentId,
      at,
      type: 'opened',
      fingerprint: `${incidentId}-fp`,
      reason: { kind: 'first-alert' },
      alert: { alertname: 'DiskFull', service: 'orders-db', severity, startsAt: at },
      incident: {
        title: 'trouble',
        severity,
        status: 'open',
        services: ['orders-db'],
        alertCount: 1,
        openedAt: at,
        updatedAt: at,
      },
    });
  return new IncidentsController(
    { board } as unknown as IncidentFeed,
    {} as TopologyRepository,
    {} as EventPublisher,
  );
}

function refusal(query: Record<string, string>): string {
  try {
    controllerOver().list(query);
  } catch (error) {
    expect(error).toBeInstanceOf(BadRequestException);
    return (error as BadRequestException).message;
  }
  throw new Error(`accepted ${JSON.stringify(query)}`);
}

describe('GET /api/v1/incidents', () => {
  it('filters the live board', () => {
    const { incidents } = controllerOver().list({ severity: 'critical' });
    expect(incidents.map((i) => i.incidentId)).toEqual(['inc-a']);
    expect(controllerOver().list({}).incidents).toHaveLength(2);
  });

  it('refuses a parameter it does not know, naming it, rather than answering unfiltered', () => {
    expect(refusal({ sevrity: 'critical', limit: 'abc' })).toBe(
      'query: Unrecognized keys: "sevrity", "limit"',
    );
    // the live board is not paged: /api/v1/history/incidents is
    expect(refusal({ limit: '10' })).toBe('query: Unrecognized key: "limit"');
  });

  it('still names a wrong value of a known parameter', () => {
    expect(refusal({ severity: 'fatal' })).toMatch(/^query\.severity\.0: /);
    expect(refusal({ since: 'yesterday' })).toMatch(/^query\.since: must be an ISO time/);
  });
});
