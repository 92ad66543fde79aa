import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { SessionStore, type Session } from '@vigil/access';
import type { IncidentEvent } from '@vigil/contracts';
import { IncidentBoard } from '@vigil/incident-view';
import { EventPublisher } from '@vigil/messaging';
import { AccessGuard } from './access.guard';
import { ConsoleAuth, SESSION_COOKIE } from './console-auth.service';
import { IncidentFeed } from './incident-feed.service';
import { IncidentFeedbackController } from './incident-feedback.controller';

const at = '2026-11-27T10:00:00.000Z';
const summary = (services: string[], alertCount: number) => ({
  title: 'trouble',
  severity: 'critical' as const,
  status: 'open' as const,
  services,
  alertCount,
  openedAt: at,
  updatedAt: at,
});

function opened(incidentId: string, fingerprint: string, alertname: string, service: string) {
  return {
    schemaVersion: 1,
    eventId: `${incidentId}:1`,
    incidentId,
    at,
    type: 'opened',
    fingerprint,
    reason: { kind: 'first-alert' },
    alert: { alertname, service, severity: 'critical', startsAt: at },
    incident: summary([service], 1),
  } satisfies IncidentEvent;
}

function attached(incidentId: string, fingerprint: string, alertname: string, service: string) {
  return {
    ...opened(incidentId, fingerprint, alertname, service),
    eventId: `${incidentId}:2`,
    type: 'alert-attached',
    reason: { kind: 'topology-neighbour', hops: 1, via: [service] },
    incident: summary(['orders-db', service], 2),
  } satisfies IncidentEvent;
}

describe('POST /api/v1/incidents/:id/merge and /split', () => {
  let app: INestApplication;
  let base: string;
  const sessions = new SessionStore({ ttlMs: 60_000 });
  const board = new IncidentBoard();
  const publish = jest.fn(async () => undefined);

  beforeAll(async () => {
    board.applyIncidentEvent(opened('inc-a', 'fp-disk', 'DiskFull', 'orders-db'));
    board.applyIncidentEvent(attached('inc-a', 'fp-cpu', 'HighCpu', 'search'));
    board.applyIncidentEvent(opened('inc-b', 'fp-err', 'HighErrorRate', 'checkout'));
    const moduleRef = await Test.createTestingModule({
      controllers: [IncidentFeedbackController],
      providers: [
        AccessGuard,
        { provide: ConsoleAuth, useValue: { sessions } },
        { provide: IncidentFeed, useValue: { board } },
        { provide: EventPublisher, useValue: { publish } },
      ],
    }).compile();
    app = moduleRef.createNestApplication({ logger: false });
    await app.listen(0, '127.0.0.1');
    base = await app.getUrl();
  });

  afterAll(async () => {
    await app.close();
  });

  beforeEach(() => publish.mockClear());

  async function post(session: Session, path: string, body: unknown) {
    const response = await fetch(`${base}/api/v1/incidents/${path}`, {
      method: 'POST',
      headers: {
        cookie: `${SESSION_COOKIE}=${session.id}`,
        'x-csrf-token': session.csrfToken,
        'content-type': 'application/json',
      },
      body: JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  }

  it('publishes a merge with who did it and the alerts they saw', async () => {
    const ann = sessions.create('ann', 'responder', 'Ann');
    const answer = await post(ann, 'inc-a/merge', { incidentIds: ['inc-b'], note: 'same outage' });
    expect(answer.status).toBe(202);
    expect(publish).toHaveBeenCalledTimes(1);
    const [topic, feedback] = publish.mock.calls[0] as unknown as [{ name: string }, unknown];
    expect(topic.name).toBe('vigil.incident-feedback.v1');
    expect(feedback).toMatchObject({
      type: 'merge',
      incidentId: 'inc-a',
      mergedIncidentIds: ['inc-b'],
      by: { user: 'ann', role: 'responder', displayName: 'Ann' },
      via: 'console',
      note: 'same outage',
      alerts: [
        {
          fingerprint: 'fp-disk',
          alertname: 'DiskFull',
          service: 'orders-db',
          incidentId: 'inc-a',
        },
        { fingerprint: 'fp-cpu', alertname: 'HighCpu', service: 'search', incidentId: 'inc-a' },
        {
          fingerprint: 'fp-err',
          alertname: 'HighErrorRate',
          service: 'checkout',
          incidentId: 'inc-b',
        },
      ],
    });
  });

  it('publishes a split into a new incident id', async () => {
    const ann = sessions.create('ann', 'responder');
    const answer = await post(ann, 'inc-a/split', { fingerprints: ['fp-cpu'] });
    expect(answer.status).toBe(202);
    const [, feedback] = publish.mock.calls[0] as unknown as [unknown, Record<string, unknown>];
    expect(feedback).toMatchObject({
      type: 'split',
      incidentId: 'inc-a',
      fingerprints: ['fp-cpu'],
    });
    expect(feedback['newIncidentId']).toMatch(/^inc-[0-9a-f]{16}$/);
  });

  it('refuses bad ids with a 400 that names them, and publishes nothing', async () => {
    const ann = sessions.create('ann', 'responder');
    const cases: Array<[string, unknown, string]> = [
      ['inc-a/merge', { incidentIds: ['inc-nope'] }, 'no incident inc-nope'],
      ['inc-a/merge', { incidentIds: ['inc-a'] }, 'cannot be merged into itself'],
      ['inc-a/merge', { incidentIds: ['bad id!'] }, 'body.incidentIds.0'],
      ['inc-a/merge', { incidentIds: [] }, 'body.incidentIds'],
      ['inc-a/split', { fingerprints: ['fp-err'] }, 'not in inc-a: fp-err'],
      ['inc-a/split', { fingerprints: ['fp-disk', 'fp-cpu'] }, 'leaves at least one alert'],
      ['inc-a/split', { fingerprints: ['fp-cpu'], extra: 1 }, 'extra'],
      ['bad%20id!/split', { fingerprints: ['fp-cpu'] }, 'path.id'],
    ];
    for (const [path, body, says] of cases) {
      const answer = await post(ann, path, body);
      expect({ path, status: answer.status }).toEqual({ path, status: 400 });
      expect(String(answer.body['message'])).toContain(says);
    }
    expect((await post(ann, 'inc-nope/split', { fingerprints: ['x'] })).status).toBe(404);
    expect(publish).not.toHaveBeenCalled();
  });

  it('refuses a viewer with a 403 that says what it takes', async () => {
    const vic = sessions.create('vic', 'viewer');
    for (const [path, body] of [
      ['inc-a/merge', { incidentIds: ['inc-b'] }],
      ['inc-a/split', { fingerprints: ['fp-cpu'] }],
    ] as const) {
      const answer = await post(vic, path, body);
      expect(answer.status).toBe(403);
      expect(answer.body['message']).toBe(
        'vic is a viewer: regroup needs the responder role or higher',
      );
    }
    expect(publish).not.toHaveBeenCalled();
  });
});
