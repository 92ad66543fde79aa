import type { StartedTestContainer } from 'testcontainers';
import type { InfraEndpoints } from './infra-endpoints';

// The same images and versions as docker-compose.yml.
const kafkaImage = 'apache/kafka:4.4.0';
const neo4jImage = 'neo4j:5.26-community';

/** True when a Docker (or compatible) engine answers; testcontainers is only used then. */
export async function dockerEngineAnswers(): Promise<boolean> {
  try {
    const { getContainerRuntimeClient } = await import('testcontainers');
    const client = await getContainerRuntimeClient();
    await client.info;
    return true;
  } catch {
    return false;
  }
}

export async function startContainers(): Promise<InfraEndpoints> {
  const { GenericContainer, Wait } = await import('testcontainers');
  const kafkaPort = 19092;
  const kafka: StartedTestContainer = await new GenericContainer(kafkaImage)
    .withExposedPorts({ container: kafkaPort, host: kafkaPort })
    .withEnvironment({
      KAFKA_NODE_ID: '1',
      KAFKA_PROCESS_ROLES: 'broker,controller',
      KAFKA_LISTENERS: `PLAINTEXT://:${kafkaPort},CONTROLLER://:9093`,
      KAFKA_ADVERTISED_LISTENERS: `PLAINTEXT://localhost:${kafkaPort}`,
      KAFKA_CONTROLLER_LISTENER_NAMES: 'CONTROLLER',
      KAFKA_CONTROLLER_QUORUM_VOTERS: '1@localhost:9093',
      KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR: '1',
      KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR: '1',
      KAFKA_TRANSACTION_STATE_LOG_MIN_ISR: '1',
      KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS: '0',
    })
    .withWaitStrategy(Wait.forLogMessage(/Kafka Server started/))
    .start();
  const neo4j: StartedTestContainer = await new GenericContainer(neo4jImage)
    .withExposedPorts(7687)
    .withEnvironment({ NEO4J_AUTH: 'none' })
    .withWaitStrategy(Wait.forLogMessage(/Started\./))
    .start();
  return {
    kafkaBrokers: `localhost:${kafkaPort}`,
    neo4jUri: `bolt://${neo4j.getHost()}:${neo4j.getMappedPort(7687)}`,
    provider: 'testcontainers',
    startedByTests: true,
    containerIds: [kafka.getId(), neo4j.getId()],
  };
}

export async function stopContainers(ids: string[]): Promise<void> {
  const { getContainerRuntimeClient } = await import('testcontainers');
  const client = await getContainerRuntimeClient();
  for (const id of ids) {
    const container = client.container.getById(id);
    await client.container.stop(container, { timeout: 10 });
    await client.container.remove(container, { removeVolumes: true });
  }
}
