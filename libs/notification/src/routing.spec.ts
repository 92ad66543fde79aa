import type { IncidentEvent } from '@vigil/contracts';
import { notificationOfIncident, type IncidentNotification } from './notification-event';
import { parseNotificationConfig, route } from './routing';

const receivers = [
  { name: 'pager', kind: 'pagerduty', routingKey: 'R1' },
  { name: 'payments-slack', kind: 'slack', channel: '#payments', token: 'xoxb-1' },
  { name: 'all-hook', kind: 'webhook', url: 'http://127.0.0.1:1/hook', secret: 's'.repeat(16) },
  { name: 'ops', kind: 'opsgenie', apiKey: 'k' },
];

const config = parseNotificationConfig({
  receivers,
  teams: { payments: ['checkout', 'payment'] },
  routes: [
    { receiver: 'all-hook', continue: true },
    { receiver: 'pager', severities: ['critical'], teams: ['payments'] },
    { receiver: 'payments-slack', teams: ['payments'] },
    { receiver: 'ops', labels: { alertname: 'DiskFull' } },
  ],
  defaultReceiver: 'ops',
});

function incident(overrides: Partial<IncidentNotification> = {}): IncidentNotification {
  return {
    incidentId: 'inc-1',
    action: 'trigger',
    title: 'checkout errors',
    severity: 'critical',
    services: ['checkout'],
    labels: { alertname: 'HighErrorRate', service: 'checkout', severity: 'critical' },
    at: '2026-12-02T10:00:00.000Z',
    ...overrides,
  };
}

const names = (n: IncidentNotification) => route(n, config).map((r) => r.name);

describe('route', () => {
  it('stops at the first match unless the route says continue', () => {
    expect(names(incident())).toEqual(['all-hook', 'pager']);
  });

  it('matches by team through the services it owns, and by severity', () => {
    expect(names(incident({ severity: 'warning' }))).toEqual(['all-hook', 'payments-slack']);
  });

  it('matches by label', () => {
    const disk = incident({ services: ['db'], labels: { alertname: 'DiskFull' } });
    expect(names(disk)).toEqual(['all-hook', 'ops']);
  });

  it('matches by service', () => {
    const only = parseNotificationConfig({
      receivers,
      routes: [{ receiver: 'pager', services: ['payment'] }],
    });
    expect(route(incident({ services: ['payment'] }), only).map((r) => r.name)).toEqual(['pager']);
    expect(route(incident(), only)).toEqual([]);
  });

  it('sends what no route matched to the default receiver', () => {
    const none = parseNotificationConfig({
      receivers,
      routes: [{ receiver: 'pager', services: ['payment'] }],
      defaultReceiver: 'ops',
    });
    expect(route(incident(), none).map((r) => r.name)).toEqual(['ops']);
  });
});

describe('parseNotificationConfig', () => {
  it('refuses a route to an unknown receiver, naming it', () => {
    expect(() => parseNotificationConfig({ receivers, routes: [{ receiver: 'nobody' }] })).toThrow(
      /unknown receiver nobody/,
    );
  });

  it('refuses a receiver without the field its vendor needs', () => {
    expect(() =>
      parseNotificationConfig({ receivers: [{ name: 'p', kind: 'pagerduty' }] }),
    ).toThrow(/receivers\.0\.routingKey/);
  });
});

describe('notificationOfIncident', () => {
  const summary = {
    title: 'checkout errors',
    severity: 'error' as const,
    status: 'open' as const,
    services: ['checkout'],
    alertCount: 1,
    openedAt: '2026-12-02T10:00:00.000Z',
    updatedAt: '2026-12-02T10:00:00.000Z',
  };
  const base = {
    schemaVersion: 1 as const,
    eventId: 'e',
    incidentId: 'inc-1',
    at: summary.openedAt,
  };

  it('triggers on opened with the alert as labels, resolves on resolved, ignores the rest', () => {
    const opened: IncidentEvent = {
      ...base,
      type: 'opened',
      incident: summary,
      fingerprint: 'f',
      reason: { kind: 'first-alert' },
      alert: {
        alertname: 'HighErrorRate',
        service: 'checkout',
        severity: 'error',
        startsAt: base.at,
      },
    };
    expect(notificationOfIncident(opened)).toMatchObject({
      action: 'trigger',
      labels: { alertname: 'HighErrorRate', service: 'checkout', severity: 'error' },
    });
    const resolved: IncidentEvent = {
      ...base,
      type: 'resolved',
      incident: { ...summary, status: 'resolved' },
    };
    expect(notificationOfIncident(resolved)?.action).toBe('resolve');
    const merged: IncidentEvent = {
      ...base,
      type: 'merged',
      incident: summary,
      mergedIncidentId: 'x',
    };
    expect(notificationOfIncident(merged)).toBeUndefined();
  });
});
