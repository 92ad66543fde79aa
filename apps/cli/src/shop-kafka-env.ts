import { resolve } from 'node:path';

/**
 * The Kafka variables of the shop's instances. They inherit the rest (TLS, the SASL mechanism)
 * from the executor that runs them; a user of their own keeps them to a producer's ACLs rather
 * than the executor's.
 */
export function shopKafkaEnv(o: {
  brokers: string;
  kafkaUser?: string;
  kafkaPasswordFile?: string;
}): Record<string, string> {
  if (Boolean(o.kafkaUser) !== Boolean(o.kafkaPasswordFile))
    throw new Error('--kafka-user and --kafka-password-file go together');
  return {
    KAFKA_BROKERS: o.brokers,
    ...(o.kafkaUser &&
      o.kafkaPasswordFile && {
        KAFKA_SASL_USERNAME: o.kafkaUser,
        // absolute: the instances run in another folder than this command
        KAFKA_SASL_PASSWORD_FILE: resolve(o.kafkaPasswordFile),
      }),
  };
}
