import { configChangeEvent, releaseEvent } from '@vigil/contracts';
import { releasesFromEntities } from './release-evidence';

describe('releasesFromEntities', () => {
  it('reads back what a release event wrote, and knows when nobody reports releases', () => {
    const event = releaseEvent({
      entityId: 'checkout',
      entityKind: 'service',
      version: 'v2',
      kind: 'deploy',
      at: new Date('2026-11-27T10:00:00Z'),
      source: 'test',
    });
    if (event.op !== 'entity.upsert') throw new Error('expected an upsert');
    const released = { id: 'checkout', properties: event.entity.properties };
    const quiet = { id: 'cart', properties: { version: 'v1' } };
    expect(releasesFromEntities([released, quiet])).toEqual([
      {
        service: 'checkout',
        version: 'v2',
        at: Date.parse('2026-11-27T10:00:00Z'),
        kind: 'deploy',
      },
    ]);
    expect(releasesFromEntities([quiet])).toEqual([]);
    expect(releasesFromEntities([{ id: 'cart', properties: {} }])).toBeUndefined();
  });

  it('reads config changes beside the release, and a config rollback as a rollback', () => {
    const at = new Date('2026-11-27T10:00:00Z');
    const change = configChangeEvent({
      entityId: 'catalog',
      entityKind: 'service',
      version: 2,
      kind: 'change',
      at,
      source: 'test',
    });
    const back = configChangeEvent({
      ...{ entityId: 'cart', entityKind: 'service' },
      version: 1,
      kind: 'rollback',
      at,
      source: 'test',
    });
    if (change.op !== 'entity.upsert' || back.op !== 'entity.upsert')
      throw new Error('expected upserts');
    const catalog = { id: 'catalog', properties: { version: 'v1', ...change.entity.properties } };
    expect(
      releasesFromEntities([catalog, { id: 'cart', properties: back.entity.properties }]),
    ).toEqual([
      { service: 'catalog', version: 'config 2', at: at.getTime(), kind: 'config' },
      { service: 'cart', version: 'config 1', at: at.getTime(), kind: 'rollback' },
    ]);
  });
});
