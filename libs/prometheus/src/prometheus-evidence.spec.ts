import { PrometheusUnavailableError, type RangeQuery } from './prometheus-client';
import { defaultPrometheusSettings } from './prometheus-env';
import { defaultPrometheusQueries } from './prometheus-source-settings';
import { neighbourhoodEntities, PrometheusEvidence } from './prometheus-evidence';
import type { RangeResult } from './query-range-response';

/** One range query per configured metric for every read. */
const perRead = defaultPrometheusQueries.length;

const settings = { ...defaultPrometheusSettings('http://prometheus:9090'), refreshMs: 15_000 };
const entities = { services: ['cart'], instances: [] };

function countingClient(answer: () => RangeResult) {
  const asked: RangeQuery[] = [];
  return {
    asked,
    client: {
      url: settings.url,
      queryRange: async (query: RangeQuery) => {
        asked.push(query);
        return answer();
      },
    },
  };
}

describe("apps/rca's Prometheus evidence", () => {
  it('asks over the kept history on the step grid, then not again until the refresh is due', async () => {
    const { client, asked } = countingClient(() => ({ series: [], warnings: [] }));
    const evidence = new PrometheusEvidence(settings, 3_600_000, client);
    const now = 1_700_000_004_321;
    await evidence.read('inc-1', entities, now);
    expect(asked).toHaveLength(perRead);
    expect(asked[0]).toMatchObject({ start: 1_699_996_400_000, end: 1_700_000_000_000 });
    expect(evidence.due('inc-1', now + 1000)).toBe(false);
    await evidence.read('inc-1', entities, now + 1000);
    expect(asked).toHaveLength(perRead);
    expect(evidence.due('inc-1', now + 15_000)).toBe(true);
    await evidence.read('inc-1', entities, now + 15_000);
    expect(asked).toHaveLength(2 * perRead);
  });

  it('asks again at once when the neighbourhood grew', async () => {
    const { client, asked } = countingClient(() => ({ series: [], warnings: [] }));
    const evidence = new PrometheusEvidence(settings, 3_600_000, client);
    await evidence.read('inc-1', entities, 0);
    await evidence.read('inc-1', { services: ['cart', 'checkout'], instances: [] }, 1000);
    expect(asked).toHaveLength(2 * perRead);
  });

  it('after Prometheus could not be reached, says so for every incident without waiting on it again', async () => {
    const { client, asked } = countingClient(() => {
      throw new PrometheusUnavailableError('connect ECONNREFUSED 10.0.0.9:9090');
    });
    const evidence = new PrometheusEvidence(settings, 3_600_000, client);
    const first = await evidence.read('inc-1', entities, 0);
    const second = await evidence.read('inc-2', entities, 1000);
    expect(asked).toHaveLength(perRead);
    expect(second).toEqual(first);
    expect(second.source).toMatchObject({ name: 'prometheus', status: 'missing' });
    await evidence.read('inc-3', entities, 15_000);
    expect(asked).toHaveLength(2 * perRead);
  });

  it('asks again for the next incident when Prometheus answered without series for the last one', async () => {
    const { client, asked } = countingClient(() => ({ series: [], warnings: [] }));
    const evidence = new PrometheusEvidence(settings, 3_600_000, client);
    const first = await evidence.read('inc-1', entities, 0);
    expect(first.source.status).toBe('missing');
    await evidence.read('inc-2', { services: ['checkout'], instances: [] }, 1000);
    expect(asked).toHaveLength(2 * perRead);
  });

  it('forgets incidents no longer ranked', async () => {
    const { client } = countingClient(() => ({ series: [], warnings: [] }));
    const evidence = new PrometheusEvidence(settings, 3_600_000, client);
    await evidence.read('inc-1', entities, 0);
    evidence.forget(() => false);
    expect(evidence.due('inc-1', 1)).toBe(true);
  });
});

describe('the entities of a neighbourhood', () => {
  it('names instances by the instance label and everything else by the service label', () => {
    const nodes = [
      { id: 'checkout', kind: 'service' },
      { id: 'checkout-db', kind: 'database' },
      { id: '10.0.0.7:8080', kind: 'instance' },
      { id: 'mystery', kind: null },
    ];
    expect(neighbourhoodEntities(nodes, ['frontend', 'checkout'])).toEqual({
      services: ['checkout', 'checkout-db', 'mystery', 'frontend'],
      instances: ['10.0.0.7:8080'],
    });
  });
});
