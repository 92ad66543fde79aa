import type { Kafka } from 'kafkajs';
import { loadConfig } from '@vigil/config';
import { createKafka, kafkaEnvSchema, kafkaSettingsFromEnv } from '@vigil/messaging';

/**
 * The Kafka client of a one-shot command: the brokers of KAFKA_* as every Vigil process reads
 * them, and the patience of someone waiting at a terminal (an unreachable broker is reported in
 * seconds, not after the minute of retries a service spends riding out a restart).
 */
export function commandKafka(command: string): Kafka {
  const settings = kafkaSettingsFromEnv(loadConfig(command, kafkaEnvSchema), 'cli');
  return createKafka({ ...settings, patience: 'command' });
}
