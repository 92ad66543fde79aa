import { BadRequestException } from '@nestjs/common';
import type { IncidentStoreRepository } from '@vigil/graph';
import { ReportsController } from './reports.controller';

const DAY_MS = 24 * 60 * 60 * 1000;

function controllerOver(rows: Array<{ facts?: string; view?: string; resolvedAt?: string }> = []) {
  const reportIncidents = jest.fn(async () => rows);
  const store = { reportIncidents } as unknown as IncidentStoreRepository;
  return { controller: new ReportsController(store), reportIncidents };
}

async function refusal(query: Record<string, string>): Promise<string> {
  const { controller } = controllerOver();
  const error = await controller.report(query).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(BadRequestException);
  return (error as BadRequestException).message;
}

describe('GET /api/v1/reports', () => {
  it('reads the last seven days of the services asked for by default', async () => {
    const { controller, reportIncidents } = controllerOver();
    const report = await controller.report({ service: 'checkout,payment' });
    const [scope] = reportIncidents.mock.calls[0] as unknown as [
      { since: number; until: number; services: string[] },
    ];
    expect(scope.until - scope.since).toBe(7 * DAY_MS);
    expect(scope.services).toEqual(['checkout', 'payment']);
    expect(report.scope.services).toEqual(['checkout', 'payment']);
    expect(report.incidents.total).toBe(0);
  });

  it('takes a while ago and ISO times', async () => {
    const { controller, reportIncidents } = controllerOver();
    await controller.report({ since: '2026-11-01T00:00:00Z', until: '2026-11-02T00:00:00Z' });
    expect(reportIncidents).toHaveBeenCalledWith({
      since: Date.UTC(2026, 10, 1),
      until: Date.UTC(2026, 10, 2),
      services: [],
    });
  });

  it('refuses malformed input with a 400 that names the field', async () => {
    expect(await refusal({ since: 'yesterday' })).toContain('query.since');
    expect(await refusal({ until: '2026-11-02' })).toContain('query.until');
    expect(await refusal({ since: '1d', until: '2d' })).toContain(
      'query.until: must not be before since',
    );
    expect(await refusal({ since: '400d' })).toContain('query.since: must be at most 366 days');
    expect(await refusal({ team: 'x' })).toContain('team');
  });
});
