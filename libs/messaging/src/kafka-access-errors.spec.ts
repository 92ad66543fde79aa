import { KafkaJSProtocolError, KafkaJSSASLAuthenticationError, type Kafka } from 'kafkajs';
import { explainKafkaError, KafkaAccessError, withAccessErrors } from './kafka-access-errors';
import type { KafkaSettings } from './kafka-settings';

const settings: KafkaSettings = {
  brokers: ['kafka:9094'],
  clientId: 'vigil-ingest',
  ssl: {},
  sasl: { mechanism: 'scram-sha-512', username: 'ingest', password: 'p' },
};

// kafkajs's typings give this error no constructor arguments; the class takes a message
const SaslError = KafkaJSSASLAuthenticationError as unknown as new (message: string) => Error;

const protocolError = (type: string) =>
  new KafkaJSProtocolError({
    type,
    code: 29,
    retriable: false,
    message: 'Topic authorization failed',
  } as never);

describe('refusals by the broker, explained', () => {
  it('says which user failed to authenticate, and with what', () => {
    const error = explainKafkaError(
      new SaslError('SASL SCRAM SHA512 authentication failed: invalid credentials'),
      settings,
    );
    expect(error).toBeInstanceOf(KafkaAccessError);
    expect((error as Error).message).toBe(
      'Kafka authentication failed for user "ingest" with SCRAM-SHA-512 at kafka:9094: wrong user name or password (KAFKA_SASL_USERNAME, KAFKA_SASL_PASSWORD or KAFKA_SASL_PASSWORD_FILE)',
    );
    expect((error as Error).cause).toBeInstanceOf(KafkaJSSASLAuthenticationError);
  });

  it('names the missing ACL of a refused write, and is not worth a retry', () => {
    const error = explainKafkaError(protocolError('TOPIC_AUTHORIZATION_FAILED'), settings, {
      operation: 'WRITE',
      topics: ['vigil.remediation.decisions.v1'],
    }) as KafkaAccessError;
    expect(error.message).toContain(
      'the broker has no ACL allowing User:ingest WRITE on Topic:vigil.remediation.decisions.v1',
    );
    expect(error.retriable).toBe(false);
  });

  it('names the group of a refused consumer', () => {
    const error = explainKafkaError(protocolError('GROUP_AUTHORIZATION_FAILED'), settings, {
      operation: 'READ',
      topics: [],
      group: 'vigil-ingest',
    }) as Error;
    expect(error.message).toContain('no ACL allowing User:ingest READ on Group:vigil-ingest');
  });

  it('leaves every other error as it is', () => {
    const other = protocolError('UNKNOWN_TOPIC_OR_PARTITION');
    expect(explainKafkaError(other, settings)).toBe(other);
  });

  it("explains a producer's refused send with the topic it was sent to", async () => {
    const producer = {
      send: async () => {
        throw protocolError('TOPIC_AUTHORIZATION_FAILED');
      },
    };
    const kafka = withAccessErrors({ producer: () => producer } as unknown as Kafka, settings);
    await expect(
      kafka.producer().send({ topic: 'vigil.remediation.plans.v1', messages: [] }),
    ).rejects.toThrow('User:ingest WRITE on Topic:vigil.remediation.plans.v1');
  });
});
