import type { Kafka } from 'kafkajs';
import { loadConfig } from '@vigil/config';
import { graphSettingsFromEnv, Neo4jConnection, neo4jEnvSchema } from '@vigil/graph';
import { createKafka, kafkaEnvSchema, kafkaSettingsFromEnv } from '@vigil/messaging';

/**
 * The Kafka client of a command, once a quick first connection has found a broker: someone at a
 * terminal hears within seconds that Kafka is not there, where a client with a service's patience
 * retries for a minute first. The work itself then has a service's retries (a group coordinator
 * still being chosen on a fresh broker is no reason to give up half way).
 */
export async function commandKafka(command: string): Promise<Kafka> {
  const settings = kafkaSettingsFromEnv(loadConfig(command, kafkaEnvSchema), 'cli');
  const probe = createKafka({ ...settings, patience: 'command' }).admin();
  await probe.connect();
  await probe.disconnect();
  return createKafka(settings);
}

/**
 * The Neo4j connection of a command, once the server has answered: the driver retries queries
 * for 30 s, an unreachable server too, and its connectivity check does not. Closes the driver
 * when the server does not answer.
 */
export async function commandGraph(command: string): Promise<Neo4jConnection> {
  const connection = new Neo4jConnection(graphSettingsFromEnv(loadConfig(command, neo4jEnvSchema)));
  try {
    await connection.verify();
  } catch (error) {
    await connection.driver.close();
    throw error;
  }
  return connection;
}
