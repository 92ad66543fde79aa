import { z } from 'zod';
import { envHostPortList } from '@vigil/config';

/** Environment of every Kafka-using app. */
export const kafkaEnvSchema = z.object({
  KAFKA_BROKERS: envHostPortList('localhost:9092').describe(
    'Kafka bootstrap brokers, a comma-separated list of host:port.',
  ),
  KAFKA_CLIENT_ID: z.string().min(1).optional().describe('Kafka client id; default vigil-<app>.'),
});

export interface KafkaSettings {
  brokers: string[];
  clientId: string;
}

export function kafkaSettingsFromEnv(
  env: z.output<typeof kafkaEnvSchema>,
  appName: string,
): KafkaSettings {
  return { brokers: env.KAFKA_BROKERS, clientId: env.KAFKA_CLIENT_ID ?? `vigil-${appName}` };
}
