import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hashPassword } from '@vigil/access';
import type { IncidentEvent, RemediationPlan, VigilRole } from '@vigil/contracts';
import { rankingOf } from '../support/incident-events';
import type { KafkaSuite } from '../support/kafka-suite';
import { ConsoleClient } from './console-client';

export const PASSWORD = 'correct-horse-battery';

/** A users file with one user per role: vic (viewer), rita (responder), ann (approver). */
export async function writeUsersFile(): Promise<string> {
  const users: Array<[string, VigilRole]> = [
    ['vic', 'viewer'],
    ['rita', 'responder'],
    ['ann', 'approver'],
  ];
  const file = join(mkdtempSync(join(tmpdir(), 'vigil-console-')), 'users.json');
  const entries = await Promise.all(
    users.map(async ([username, role]) => ({
      username,
      role,
      passwordHash: await hashPassword(PASSWORD),
    })),
  );
  writeFileSync(file, JSON.stringify({ users: entries }));
  return file;
}

/** Starts the console of `suite` on `port`, with rita (responder) and vic (viewer) signed in. */
export async function startConsoleWithRitaAndVic(
  suite: KafkaSuite,
  port: number,
): Promise<{ rita: ConsoleClient; vic: ConsoleClient }> {
  await suite.startApp(
    'console',
    { CONSOLE_PORT: String(port), CONSOLE_USERS_FILE: await writeUsersFile(), LOG_LEVEL: 'warn' },
    port,
  );
  const base = `http://127.0.0.1:${port}`;
  return {
    rita: await ConsoleClient.signIn(base, 'rita', PASSWORD),
    vic: await ConsoleClient.signIn(base, 'vic', PASSWORD),
  };
}

/** An incident on checkout whose root cause is payment-db, reached through payment. */
export function incidentStory(prefix: string, incidentId: string) {
  const now = new Date().toISOString();
  const svc = (name: string) => `${prefix}-${name}`;
  const opened: IncidentEvent = {
    schemaVersion: 1,
    eventId: `${incidentId}:1`,
    incidentId,
    at: now,
    type: 'opened',
    fingerprint: `${incidentId}-f1`,
    reason: { kind: 'first-alert' },
    alert: {
      alertname: 'CheckoutErrors',
      service: svc('checkout'),
      severity: 'critical',
      summary: '5xx above 5% on checkout',
      startsAt: now,
    },
    incident: {
      title: `checkout errors ${prefix}`,
      severity: 'critical',
      status: 'open',
      services: [svc('checkout')],
      alertCount: 1,
      openedAt: now,
      updatedAt: now,
    },
  };
  const rca = rankingOf(
    incidentId,
    [
      {
        service: svc('payment-db'),
        rank: 1,
        score: 0.91,
        path: [svc('payment-db'), svc('payment'), svc('checkout')],
        evidence: {
          metrics: [{ metric: 'latency_p99', score: 12, onset: now, direction: 'up' }],
          logTemplates: [
            {
              templateId: 't1',
              template: 'connection pool exhausted',
              score: 6,
              pattern: 'error-burst',
            },
          ],
          alerts: [],
        },
      },
    ],
    0,
    now,
  );
  const plan: RemediationPlan = {
    schemaVersion: 1,
    planId: `plan-${incidentId}-1`,
    incidentId,
    createdAt: now,
    faultClass: 'saturation',
    summary: `restart ${svc('payment-db')}`,
    steps: [
      {
        stepId: 's1',
        action: 'restart',
        target: svc('payment-db'),
        params: {},
        verification: [],
      },
    ],
    provenance: { model: 'test', promptHash: '0123456789abcdef', fallbackUsed: true },
  };
  return { svc, opened, rca, plan };
}
