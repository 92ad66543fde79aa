import { shopFromBuild, shopFromSource, shopProcessConfig } from './shop-process-config';

describe('the shop as the local-process adapter runs it', () => {
  const config = shopProcessConfig({
    command: '/usr/bin/node',
    args: ['main.js'],
    cwd: '/shop',
    env: { KAFKA_BROKERS: 'k:9092' },
    prefix: 't1-',
    portOffset: 1000,
  });

  it('has every service under its prefixed name, on shifted ports, starting on the good release', () => {
    expect(Object.keys(config)).toHaveLength(10);
    const payment = config['t1-payment'];
    expect(payment?.ports).toEqual({ from: 5260, to: 5269 });
    expect(payment?.initialVersion).toBe('v1');
    expect(config['t1-frontend']?.initialReplicas).toBe(2);
  });

  it('has a bad release v2 to deploy, and tells instances where Kafka and their peers are', () => {
    const [good, bad] = config['t1-checkout']?.versions ?? [];
    expect(good?.env).toMatchObject({
      KAFKA_BROKERS: 'k:9092',
      SHOP_PREFIX: 't1-',
      SHOP_PORT_OFFSET: '1000',
    });
    expect(good?.env).not.toHaveProperty('SHOP_BROKEN');
    expect(bad?.env).toMatchObject({ SHOP_BROKEN: 'true' });
  });

  it('gives each service a data dir of its own under the data root, and none without one', () => {
    const withData = shopProcessConfig({
      command: '/usr/bin/node',
      args: ['main.js'],
      cwd: '/shop',
      env: {},
      prefix: 't1-',
      dataRoot: '/state/shop',
    });
    expect(withData['t1-cart']?.dataDir).toBe('/state/shop/cart');
    expect(withData['t1-catalog-db']?.dataDir).toBe('/state/shop/catalog-db');
    expect(config['t1-cart']).not.toHaveProperty('dataDir');
  });
});

describe('how the shop is started', () => {
  it('runs the compiled main from the build when the caller itself runs compiled', () => {
    const compiled = shopFromSource(
      '/repo/dist',
      '/repo/dist/libs/demo-shop/src/shop-process-config.js',
    );
    expect(compiled).toEqual(shopFromBuild('/repo'));
    expect(compiled.args).toEqual(['/repo/dist/apps/demo-shop/src/main.js']);
    expect(compiled.cwd).toBe('/repo');
  });

  it('runs the source through ts-node when the caller runs from source', () => {
    const source = shopFromSource('/repo', '/repo/libs/demo-shop/src/shop-process-config.ts');
    expect(source.args).toEqual([
      '/repo/node_modules/ts-node/dist/bin.js',
      '/repo/apps/demo-shop/src/main.ts',
    ]);
    expect(source.cwd).toBe('/repo');
  });
});
