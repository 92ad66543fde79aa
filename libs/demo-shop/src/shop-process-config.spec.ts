import { shopProcessConfig } from './shop-process-config';

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
});
