import { topologyFileSchema } from '@vigil/contracts';
import {
  dependenciesOf,
  portRange,
  shopService,
  shopServices,
  shopTopology,
} from './shop-catalogue';

describe('the demo shop', () => {
  it('has ten services whose calls all reach services and routes that exist', () => {
    expect(shopServices).toHaveLength(10);
    for (const service of shopServices)
      for (const route of Object.values(service.routes))
        for (const call of route.calls)
          expect(shopService(call.service).routes[call.route]).toBeDefined();
  });

  it('gives each service its own port range', () => {
    const ports = shopServices.flatMap((s) => {
      const { from, to } = portRange(s);
      return Array.from({ length: to - from + 1 }, (_, i) => from + i);
    });
    expect(new Set(ports).size).toBe(ports.length);
  });

  it('has no call cycles (a request always ends)', () => {
    const visit = (name: string, path: string[]): void => {
      expect(path).not.toContain(name);
      for (const next of dependenciesOf(shopService(name))) visit(next, [...path, name]);
    };
    visit('frontend', []);
  });

  it('is a valid topology file: services call services and depend on the stores', () => {
    const file = topologyFileSchema.parse(shopTopology('demo-'));
    const catalog = file.services.find((s) => s.id === 'demo-catalog');
    expect(catalog?.dependsOn).toEqual(['demo-catalog-db']);
    expect(file.services.find((s) => s.id === 'demo-frontend')?.calls).toEqual(
      expect.arrayContaining(['demo-catalog', 'demo-checkout', 'demo-cart']),
    );
    expect(file.databases.map((d) => d.id).sort()).toEqual(['demo-cache', 'demo-catalog-db']);
  });

  it('names an unknown service in the error, with the ones that exist', () => {
    expect(() => shopService('ads')).toThrow(/no shop service ads; the shop has frontend, /);
  });
});
