import { edgeType, entityKind } from '@vigil/contracts';
import {
  deleteEdgeCypher,
  kindLabels,
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
});
