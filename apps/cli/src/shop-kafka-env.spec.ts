import { isAbsolute } from 'node:path';
import { shopKafkaEnv } from './shop-kafka-env';

describe("the shop instances' Kafka variables", () => {
  it('name only the brokers on a plaintext broker: the rest comes from the executor', () => {
    expect(shopKafkaEnv({ brokers: '127.0.0.1:9092' })).toEqual({
      KAFKA_BROKERS: '127.0.0.1:9092',
    });
  });

  it('give the instances a user of their own, its password file as an absolute path', () => {
    const env = shopKafkaEnv({
      brokers: '127.0.0.1:9092',
      kafkaUser: 'demo-shop',
      kafkaPasswordFile: '.vigil/secrets/kafka/users/demo-shop.password',
    });
    expect(env['KAFKA_SASL_USERNAME']).toBe('demo-shop');
    expect(isAbsolute(env['KAFKA_SASL_PASSWORD_FILE'] ?? '')).toBe(true);
    expect(env['KAFKA_SASL_PASSWORD_FILE']).toMatch(/demo-shop\.password$/);
  });

  it('refuse a user without its password file', () => {
    expect(() => shopKafkaEnv({ brokers: 'b:9092', kafkaUser: 'demo-shop' })).toThrow(
      /--kafka-user and --kafka-password-file go together/,
    );
  });
});
