import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { SessionStore, type Session } from '@vigil/access';
import { AlertPolicyState } from '@vigil/alert-policy';
import type { IncidentEvent } from '@vigil/contracts';
import { TopologyRepository } from '@vigil/graph';
import { IncidentBoard } from '@vigil/incident-view';
import { EventPublisher, VIGIL_SETTINGS } from '@vigil/messaging';
import { AccessGuard } from './access.guard';
import { AlertPolicyFeed } from './alert-policy-feed.service';
import { ConsoleAuth, SESSION_COOKIE } from './console-auth.service';
import { IncidentFeed } from './incident-feed.service';
import { IncidentFeedbackController } from './incident-feedback.controller';
import { IncidentsController } from './incidents.controller';
import { PlansController } from './plans.controller';
import { MaintenanceController, SilencesController } from './silences.controller';

const at = '2026-11-27T10:00:00.000Z';
const opened = (incidentId: string, fingerprint: string): IncidentEvent => ({
  schemaVersion: 1,
  eventId: `${incidentId}:${fingerprint}`,
  incidentId,
  at,
  type: 'opened',
  fingerprint,
  reason: { kind: 'first-alert' },
  alert: { alertname: 'DiskFull', service: 'orders-db', severity: 'critical', startsAt: at },
  incident: {
    title: 'trouble',
    severity: 'critical',
    status: 'open',
    services: ['orders-db'],
    alertCount: 1,
    openedAt: at,
    updatedAt: at,
  },
});

/** Every console route that takes a body, with a body it would accept as JSON. */
const bodyRoutes: Array<[string, Record<string, unknown>]> = [
  ['/api/v1/incidents/inc-a/acknowledge', { note: 'kept?' }],
  ['/api/v1/incidents/inc-a/resolve', { note: 'kept?' }],
  ['/api/v1/incidents/inc-a/merge', { incidentIds: ['inc-b'] }],
  ['/api/v1/incidents/inc-a/split', { fingerprints: ['fp-a'] }],
  ['/api/v1/plans/plan-1/decisions', { decision: 'reject' }],
  ['/api/v1/silences', { matchers: '{service="db"}', duration: '2h' }],
  ['/api/v1/silences/import', []],
  ['/api/v1/maintenance', { matchers: 'service="db"', schedule: { kind: 'once', duration: '1h' } }],
] as Array<[string, Record<string, unknown>]>;

describe('AccessGuard: the body of a change is JSON', () => {
  let app: INestApplication;
  let base: string;
  const sessions = new SessionStore({ ttlMs: 60_000 });
  const board = new IncidentBoard();
  const publish = jest.fn(async () => undefined);
  const policy = { state: new AlertPolicyState(), publish: jest.fn(async () => undefined) };

  beforeAll(async () => {
    board.applyIncidentEvent(opened('inc-a', 'fp-a'));
    board.applyIncidentEvent(opened('inc-b', 'fp-b'));
    const moduleRef = await Test.createTestingModule({
      controllers: [
        IncidentsController,
        IncidentFeedbackController,
        PlansController,
        SilencesController,
        MaintenanceController,
      ],
      providers: [
        AccessGuard,
        { provide: ConsoleAuth, useValue: { sessions } },
        { provide: IncidentFeed, useValue: { board } },
        { provide: TopologyRepository, useValue: {} },
        { provide: EventPublisher, useValue: { publish } },
        { provide: AlertPolicyFeed, useValue: policy },
        { provide: VIGIL_SETTINGS, useValue: { planTtlMs: 60_000 } },
      ],
    }).compile();
    app = moduleRef.createNestApplication({ logger: false });
    await app.listen(0, '127.0.0.1');
    base = await app.getUrl();
  });

  afterAll(async () => {
    await app.close();
  });

  beforeEach(() => {
    publish.mockClear();
    policy.publish.mockClear();
  });

  async function post(
    session: Session | undefined,
    path: string,
    body: string | Uint8Array | undefined,
    contentType: string | undefined,
  ) {
    const response = await fetch(`${base}${path}`, {
      method: 'POST',
      headers: {
        ...(session && {
          cookie: `${SESSION_COOKIE}=${session.id}`,
          'x-csrf-token': session.csrfToken,
        }),
        ...(contentType && { 'content-type': contentType }),
      },
      body,
    });
    return { status: response.status, body: (await response.json()) as { message?: unknown } };
  }

  it.each(bodyRoutes)(
    'answers 415 to %s sent as text/plain or a form, and does nothing',
    async (path, body) => {
      const ann = sessions.create('ann', 'approver');
      for (const contentType of ['text/plain;charset=UTF-8', 'application/x-www-form-urlencoded']) {
        const answer = await post(ann, path, JSON.stringify(body), contentType);
        expect({ contentType, status: answer.status }).toEqual({ contentType, status: 415 });
        expect(answer.body.message).toBe(
          `the body must be JSON: send content-type: application/json (not ${contentType})`,
        );
      }
      // fetch labels a string text/plain; bytes go without a content type
      const bytes = new TextEncoder().encode(JSON.stringify(body));
      const unlabelled = await post(ann, path, bytes, undefined);
      expect(unlabelled.status).toBe(415);
      expect(unlabelled.body.message).toBe(
        'the body must be JSON: send content-type: application/json (no content type was sent)',
      );
      expect(publish).not.toHaveBeenCalled();
      expect(policy.publish).not.toHaveBeenCalled();
    },
  );

  it('keeps the note of an acknowledgement sent as JSON', async () => {
    const ann = sessions.create('ann', 'responder');
    const answer = await post(
      ann,
      '/api/v1/incidents/inc-a/acknowledge',
      JSON.stringify({ note: 'kept?' }),
      'application/json; charset=utf-8',
    );
    expect(answer.status).toBe(202);
    expect(publish).toHaveBeenCalledWith(
      expect.objectContaining({ name: 'vigil.incident-actions.v1' }),
      expect.objectContaining({ action: 'acknowledge', note: 'kept?' }),
    );
  });

  it('reads no body and no content type as {}: fine when optional, else a 400 naming the field', async () => {
    const ann = sessions.create('ann', 'responder');
    expect(
      (await post(ann, '/api/v1/incidents/inc-b/acknowledge', undefined, undefined)).status,
    ).toBe(202);
    const merge = await post(ann, '/api/v1/incidents/inc-a/merge', undefined, undefined);
    expect(merge.status).toBe(400);
    expect(String(merge.body.message)).toMatch(/^body\.incidentIds: /);
    // an empty body declared as text is still not JSON
    expect((await post(ann, '/api/v1/incidents/inc-b/resolve', '', 'text/plain')).status).toBe(415);
  });

  it('tells no one but an allowed caller about the media type: 401 and 403 come first', async () => {
    const path = '/api/v1/incidents/inc-a/resolve';
    expect((await post(undefined, path, 'x', 'text/plain')).status).toBe(401);
    const vic = sessions.create('vic', 'viewer');
    expect((await post(vic, path, 'x', 'text/plain')).status).toBe(403);
  });
});
