import type { IncidentStoreRepository, StoredSimilarity } from '@vigil/graph';
import type { IncidentView, PlanView } from '@vigil/incident-view';
import { pastRunbooks, runbookThatWorked } from './past-runbooks';

const planView = (planId: string, state: PlanView['state']): PlanView =>
  ({
    plan: {
      planId,
      summary: `summary of ${planId}`,
      faultClass: 'crash',
      steps: [{ stepId: 's1', action: 'restart', target: 'payment', params: {}, verification: [] }],
    },
    state,
    steps: [],
    decisions: [],
    audit: [],
  }) as unknown as PlanView;

const viewOf = (id: string, plans: PlanView[]): IncidentView =>
  ({ incidentId: id, title: `${id} title`, plans }) as unknown as IncidentView;

const target = {
  id: 'now',
  title: 'checkout errors',
  services: ['checkout'],
  rootCause: 'payment',
  alertText: 'TargetDown',
  openedAt: '2026-12-02T10:00:00Z',
};

function storeOf(incidents: Array<StoredSimilarity & { view: IncidentView }>) {
  const asked: Array<{ planState?: string }> = [];
  const store: Pick<IncidentStoreRepository, 'candidatesLike' | 'get'> = {
    candidatesLike: async (_target, options = {}) => {
      asked.push(options);
      return incidents;
    },
    get: async (id) => {
      const found = incidents.find((i) => i.id === id);
      return found && { view: JSON.stringify(found.view) };
    },
  };
  return { store, asked };
}

describe('runbookThatWorked', () => {
  it('is the last plan that completed, with its steps, and none when no plan did', () => {
    const view = viewOf('old', [planView('p1', 'completed'), planView('p2', 'aborted')]);
    expect(runbookThatWorked(view)).toEqual({
      planId: 'p1',
      summary: 'old title: summary of p1',
      faultClass: 'crash',
      steps: ['restart payment'],
      outcome: 'completed',
    });
    expect(runbookThatWorked(viewOf('old', [planView('p2', 'aborted')]))).toBeUndefined();
  });
});

describe('pastRunbooks', () => {
  it('asks the store for incidents whose plan completed, and shows only those alike enough', async () => {
    const stored = (id: string, extra: Partial<StoredSimilarity>) => ({
      id,
      title: 'checkout errors',
      services: ['search'],
      alertText: '',
      openedAt: '2026-11-01T10:00:00Z',
      planState: 'completed',
      view: viewOf(id, [planView(`plan-${id}`, 'completed')]),
      ...extra,
    });
    const { store, asked } = storeOf([
      stored('same-cause', { rootCause: 'payment' }),
      stored('words-only', {}),
      stored('shared-service', { services: ['checkout'], alertText: 'TargetDown' }),
    ]);
    const runbooks = await pastRunbooks(store, undefined, target);
    expect(asked).toEqual([{ planState: 'completed' }]);
    expect(runbooks.map((r) => r.planId)).toEqual(['plan-same-cause', 'plan-shared-service']);
  });
});
