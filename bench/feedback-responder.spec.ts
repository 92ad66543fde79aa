import type { Alert } from '@vigil/contracts';
import { responderFeedback, type Placed } from './feedback-responder';

const t0 = Date.parse('2026-03-02T08:00:00Z');
function placed(minute: number, name: string, service: string, truth: string, incident: string) {
  const alert = {
    fingerprint: `${name}-${service}`,
    alertname: name,
    service,
    receivedAt: new Date(t0 + minute * 60_000).toISOString(),
  } as Alert;
  return { alert, truth, incident } satisfies Placed;
}

describe('the simulated responder', () => {
  const stream = [
    placed(0, 'DiskFull', 'db', 't1', 'v1'),
    placed(1, 'HighErrorRate', 'api', 't1', 'v1'),
    placed(2, 'CertExpiring', 'web', 't2', 'v1'), // joined the wrong incident
    placed(3, 'HighLatency', 'api', 't1', 'v2'), // t1 again, apart
    placed(4, 'HighLatency', 'api', 't1', 'v2'),
    placed(5, 'Unplaced', 'x', 't3', ''),
  ];

  it('splits a stranger out and merges a true incident spread over two, in the order they showed up', () => {
    const feedback = responderFeedback(stream, 10);
    expect(feedback).toMatchObject([
      {
        type: 'split',
        incidentId: 'v1',
        fingerprints: ['CertExpiring-web'],
        alerts: [
          { fingerprint: 'DiskFull-db', incidentId: 'v1' },
          { fingerprint: 'HighErrorRate-api', incidentId: 'v1' },
          { fingerprint: 'CertExpiring-web', incidentId: 'v1' },
        ],
      },
      {
        type: 'merge',
        incidentId: 'v1',
        mergedIncidentIds: ['v2'],
        at: new Date(t0 + 3 * 60_000).toISOString(),
      },
    ]);
    const merge = feedback[1];
    expect(merge.alerts.map((a) => a.fingerprint)).toEqual([
      'DiskFull-db',
      'HighErrorRate-api',
      'CertExpiring-web',
      'HighLatency-api',
    ]);
  });

  it('stops after the first K corrections, and finds none in a right grouping', () => {
    expect(responderFeedback(stream, 1).map((f) => f.type)).toEqual(['split']);
    expect(responderFeedback(stream.slice(0, 2), 10)).toEqual([]);
  });
});
