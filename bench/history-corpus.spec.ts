import { foldIncidentHistory } from '@vigil/incident-view';
import { generateIncident } from './history-corpus';

describe('the history bench corpus', () => {
  it('says of each incident what its own events say: resolved ones resolve after their last alert', () => {
    const options = {
      endMs: Date.parse('2026-12-01T00:00:00Z'),
      spanMs: 86_400_000,
      open: 5,
      seed: 20,
      maxAlerts: 130,
    };
    const count = 200;
    for (let n = 0; n < count; n++) {
      const { id, records, truth } = generateIncident(n, count, options);
      const folded = foldIncidentHistory(id, records);
      const resolved = folded?.status === 'resolved';
      expect({ id, resolved, alerts: folded?.alertCount }).toEqual({
        id,
        resolved: truth.resolvedMs !== undefined,
        alerts: truth.alerts,
      });
    }
  });
});
