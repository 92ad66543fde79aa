import type { LoggerService } from '@nestjs/common';
import type { Kafka } from 'kafkajs';
import type { Alert, AlertPolicyEvent, IncidentEvent } from '@vigil/contracts';
import type { EventPublisher } from '@vigil/messaging';
import { AlertPolicyGate } from './alert-policy-gate';

const t0 = '2026-12-01T10:00:00.000Z';

const alert = (fingerprint: string, service: string): Alert => ({
  schemaVersion: 1,
  fingerprint,
  source: 'alertmanager',
  status: 'firing',
  alertname: 'HighLatency',
  severity: 'warning',
  service,
  labels: { cluster: 'prod' },
  annotations: {},
  startsAt: t0,
  receivedAt: '2026-12-01T10:30:00.000Z',
});

const change = (e: Record<string, unknown>) =>
  ({
    schemaVersion: 1,
    eventId: `e-${String(e['type'])}`,
    at: t0,
    by: { user: 'alice' },
    via: 'cli',
    ...e,
  }) as AlertPolicyEvent;

const window = (id: string, service: string, mode: string) =>
  change({
    type: 'maintenance.created',
    window: {
      id,
      mode,
      matchers: [{ name: 'service', op: '=', value: service }],
      createdBy: 'alice',
      comment: 'planned work',
      schedule: { kind: 'once', startsAt: t0, endsAt: '2026-12-01T11:00:00.000Z' },
    },
  });

function gate(): AlertPolicyGate {
  const logs: unknown[] = [];
  const logger = {
    log: (m: unknown) => logs.push(m),
    warn: () => undefined,
  } as unknown as LoggerService;
  const g = new AlertPolicyGate({} as Kafka, {} as EventPublisher, logger);
  g.state.apply(
    change({
      type: 'silence.created',
      silence: {
        id: 'sil-1',
        matchers: [{ name: 'service', op: '=', value: 'cart' }],
        startsAt: t0,
        endsAt: '2026-12-01T11:00:00.000Z',
        createdBy: 'alice',
        comment: 'upgrade',
      },
    }),
  );
  g.state.apply(window('mw-quiet', 'db', 'suppress'));
  g.state.apply(window('mw-open', 'payment', 'open-no-remediate'));
  return g;
}

describe('AlertPolicyGate', () => {
  it('holds back silenced and suppressed alerts and lets the rest through, in order', () => {
    const alerts = [
      alert('a', 'cart'),
      alert('b', 'checkout'),
      alert('c', 'db'),
      alert('d', 'payment'),
    ];
    const { admitted } = gate().admit(alerts);
    expect(admitted.map((a) => a.fingerprint)).toEqual(['b', 'd']);
  });

  it('marks the incident events of an alert under an open-no-remediate window', () => {
    const { annotate } = gate().admit([alert('b', 'checkout'), alert('d', 'payment')]);
    const opened = (fingerprint: string) =>
      ({
        type: 'opened',
        incidentId: `inc-${fingerprint}`,
        fingerprint,
      }) as unknown as IncidentEvent;
    expect(annotate([opened('b'), opened('d')])).toEqual([
      opened('b'),
      { ...opened('d'), remediationHold: { maintenanceWindowId: 'mw-open' } },
    ]);
  });

  it('lets resolves through, so incidents can still end', () => {
    const resolved = { ...alert('a', 'cart'), status: 'resolved' as const };
    expect(gate().admit([resolved]).admitted).toEqual([resolved]);
  });
});
