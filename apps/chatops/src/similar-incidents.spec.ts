import type { LoggerService } from '@nestjs/common';
import type { IncidentView } from '@vigil/incident-view';
import type { ChatopsStore } from './chatops-store';
import { SimilarIncidents, type SimilarSources } from './similar-incidents';

const view = {
  incidentId: 'inc-now',
  title: 'checkout errors',
  services: ['checkout'],
  rootCause: { service: 'payment', score: 0.9 },
  alerts: [{ fingerprint: 'f', at: '', reason: 'first-alert', alert: { alertname: 'TargetDown' } }],
  openedAt: '2026-12-02T10:00:00Z',
  plans: [],
} as unknown as IncidentView;

const past = {
  id: 'inc-old',
  title: 'checkout errors',
  services: ['checkout'],
  rootCause: 'payment',
  alertText: 'TargetDown',
  openedAt: '2026-11-02T10:00:00Z',
  planState: 'completed',
};

function lookup(sources: SimilarSources) {
  const warnings: unknown[] = [];
  const logger = {
    log: () => undefined,
    error: () => undefined,
    warn: (m: unknown) => warnings.push(m),
  };
  const similar = new SimilarIncidents({} as ChatopsStore, logger as LoggerService, sources);
  return { similar, warnings };
}

describe('SimilarIncidents (the past incidents a Slack card shows)', () => {
  it('ranks what the store holds against the live incident, by its facts', async () => {
    const asked: unknown[] = [];
    const { similar } = lookup({
      store: {
        candidatesLike: async (target) => {
          asked.push(target);
          return [past];
        },
      },
    });
    expect(await similar.of(view)).toEqual([
      expect.objectContaining({
        id: 'inc-old',
        planState: 'completed',
        reasons: ['same root cause payment', 'alert words 1.00', 'shares checkout'],
      }),
    ]);
    expect(asked).toEqual([
      expect.objectContaining({ id: 'inc-now', rootCause: 'payment', alertText: 'TargetDown' }),
    ]);
  });

  it('gives none while the store cannot be read, warning once, and finds them again after', async () => {
    let down = true;
    const { similar, warnings } = lookup({
      store: {
        candidatesLike: async () => {
          if (down) throw new Error('neo4j is down');
          return [past];
        },
      },
    });
    expect(await similar.of(view)).toEqual([]);
    expect(await similar.of(view)).toEqual([]);
    expect(warnings).toHaveLength(1);
    down = false;
    expect(await similar.of(view)).toHaveLength(1);
  });
});
