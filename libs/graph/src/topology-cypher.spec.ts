import { edgeType, entityKind } from '@vigil/contracts';
import {
  deleteEdgeCypher,
  kindLabels,
  observedCallsCypher,
  upsertEdgeCypher,
  upsertEntityCypher,
} from './topology-cypher';

describe('topology Cypher', () => {
  it('has a label for every entity kind of the contract and a type for every edge type', () => {
    for (const kind of entityKind.options) {
      expect(upsertEntityCypher(kind)).toContain(`SET e:${kindLabels[kind]}`);
    }
    for (const type of edgeType.options) {
      expect(upsertEdgeCypher(type)).toContain(`[r:${type}]`);
      expect(deleteEdgeCypher(type)).toContain(`[r:${type}]`);
    }
  });

  it('guards every write with the event time so old events cannot undo newer state', () => {
    expect(upsertEntityCypher('service')).toMatch(/coalesce\(e\.updatedAt, -1\) <= \$at/);
    expect(upsertEdgeCypher('CALLS')).toMatch(/coalesce\(r\.updatedAt, -1\) <= \$at/);
  });

  it('never lets observed calls touch the declared clock, and never moves lastSeenAt back', () => {
    expect(observedCallsCypher).not.toMatch(/updatedAt/);
    expect(observedCallsCypher).toMatch(/\$lastSeenAt > r\.lastSeenAt/);
    expect(observedCallsCypher).toMatch(/coalesce\(floors\[p\], -1\) < toInteger\(\$lastOffset\)/);
    expect(deleteEdgeCypher('CALLS')).toMatch(/coalesce\(r\.lastSeenAt, -1\) <= \$at/);
  });
});
