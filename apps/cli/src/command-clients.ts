import type { Kafka } from 'kafkajs';
import { loadConfig } from '@vigil/config';
import { graphSettingsFromEnv, Neo4jConnection, neo4jEnvSchema } from '@vigil/graph';
import { kafkaEnvSchema, kafkaSettingsFromEnv, reachableKafka } from '@vigil/messaging';

/**
 * The Kafka client of a command, once a broker answered ({@link reachableKafka}): someone at a
 * terminal hears within seconds that Kafka is not there, where a client with a service's patience
 * retries for a minute first.
 */
export async function commandKafka(command: string): Promise<Kafka> {
  const settings = kafkaSettingsFromEnv(loadConfig(command, kafkaEnvSchema), 'cli');
  try {
    return await reachableKafka(settings);
  } catch (error) {
    throw unreachable('Kafka', 'KAFKA_BROKERS', settings.brokers.join(','), error);
  }
}

/**
 * The Neo4j connection of a command, once the server has answered: the driver retries queries
 * for 30 s, an unreachable server too, and its connectivity check does not. Closes the driver
 * when the server does not answer.
 */
export async function commandGraph(command: string): Promise<Neo4jConnection> {
  const settings = graphSettingsFromEnv(loadConfig(command, neo4jEnvSchema));
  const connection = new Neo4jConnection(settings);
  try {
    await connection.verify();
  } catch (error) {
    await connection.close();
    throw unreachable('Neo4j', 'NEO4J_URI', settings.uri, error);
  }
  return connection;
}

/**
 * A server that did not answer, said with what to do about it and the client's own reason (its
 * first sentence: the Neo4j driver's goes on about encryption settings). Anything but a network
 * failure (a refused password, a missing ACL) is passed on as it is: it has its own remedy.
 */
export function unreachable(
  server: string,
  variable: string,
  value: string,
  error: unknown,
): unknown {
  const message = error instanceof Error ? error.message : String(error);
  const cause = /ECONNREFUSED|ENOTFOUND|ETIMEDOUT|EHOSTUNREACH/.exec(message)?.[0];
  if (!cause) return error;
  const reason = (message.split(/(?<=\.) /)[0] ?? message).replace(/\.$/, '');
  const detail = reason.includes(cause) ? reason : `${reason} (${cause})`;
  return new Error(
    `${server} did not answer at ${variable}=${value}: ${detail}. Start it (npm run infra:up) or point ${variable} at yours.`,
  );
}
