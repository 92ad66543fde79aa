import type { LoggerService } from '@nestjs/common';
import type { HistoryStoreQuery } from '@vigil/chatops';
import type { IncidentHistoryPage } from '@vigil/graph';
import { HistoryReader } from './history-reader';

const found: IncidentHistoryPage = {
  incidents: [
    {
      id: 'inc-1',
      title: 'checkout errors',
      severity: 'critical',
      status: 'resolved',
      services: ['checkout'],
      alertCount: 3,
      openedAt: '2026-11-20T08:00:00Z',
      updatedAt: '2026-11-20T09:00:00Z',
    },
  ],
  nextOffset: 20,
};

function reader(list: (query: HistoryStoreQuery) => Promise<IncidentHistoryPage>) {
  const warnings: unknown[] = [];
  const logger = {
    log: () => undefined,
    error: () => undefined,
    warn: (m: unknown) => warnings.push(m),
  };
  return { reader: new HistoryReader(logger as LoggerService, { repository: { list } }), warnings };
}

describe('HistoryReader (/vigil history reads the incident store)', () => {
  afterEach(() => jest.useRealTimers());

  it('asks the store for the page the request names, as the console does', async () => {
    const asked: HistoryStoreQuery[] = [];
    const { reader: history } = reader(async (query) => {
      asked.push(query);
      return found;
    });
    expect(await history.page({ words: 'checkout', status: ['resolved'], page: 2 })).toBe(found);
    expect(asked).toEqual([{ q: 'checkout', status: ['resolved'], limit: 10, offset: 10 }]);
  });

  it('gives no page and a warning when the store fails', async () => {
    const { reader: history, warnings } = reader(async () => {
      throw new Error('neo4j is down');
    });
    expect(await history.page({ page: 1 })).toBeUndefined();
    expect(warnings).toEqual([expect.objectContaining({ error: 'neo4j is down' })]);
  });

  it('gives up before Slack does when the store is slow', async () => {
    jest.useFakeTimers();
    const { reader: history, warnings } = reader(() => new Promise(() => undefined));
    const page = history.page({ page: 1 });
    await jest.advanceTimersByTimeAsync(2_500);
    expect(await page).toBeUndefined();
    expect(warnings).toEqual([expect.objectContaining({ error: 'no answer within 2500 ms' })]);
  });
});
