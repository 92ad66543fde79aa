import type { TrackedIncident } from '@vigil/rca';
import { forgetPublished, type Published } from './published-rankings';

const HOUR = 3_600_000;
const now = 10 * HOUR;

const entry = (incidentId: string): Published => ({
  result: {
    schemaVersion: 1,
    incidentId,
    revision: 3,
    generatedAt: new Date(now).toISOString(),
    method: 'test',
    candidates: [],
  },
  evidenceVersion: 1,
});

const tracked = (id: string, openedAt: number, status: 'open' | 'resolved'): TrackedIncident => ({
  id,
  openedAt,
  episodeStart: openedAt,
  status,
  services: [],
  fingerprints: [],
});

describe("rca's published rankings", () => {
  it('forgets incidents merged away, forgotten or too old to rank, keeps the young ones', () => {
    const incidents = new Map<string, TrackedIncident>([
      ['open', tracked('open', now - HOUR, 'open')],
      ['resolved-young', tracked('resolved-young', now - HOUR, 'resolved')],
      ['resolved-old', tracked('resolved-old', now - 7 * HOUR, 'resolved')],
      ['absorbed', tracked('survivor', now - HOUR, 'open')],
    ]);
    const published = new Map(
      ['open', 'resolved-young', 'resolved-old', 'absorbed', 'pruned'].map((id) => [id, entry(id)]),
    );
    const gone = forgetPublished(published, (id) => incidents.get(id), now, 6 * HOUR);
    expect(gone).toBe(3);
    // a resolved incident may reopen within its age: its next ranking must take revision 4
    expect([...published.keys()]).toEqual(['open', 'resolved-young']);
  });
});
