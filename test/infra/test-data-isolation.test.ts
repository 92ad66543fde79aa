import { readFileSync } from 'node:fs';
import {
  endpointsFromEnvironment,
  type InfraEndpoints,
  testInfraEnvironment,
} from '../support/infra-endpoints';
import { testEnvFile } from '../support/project-root';

// `npm test` then `npm run demo` must not show test incidents or dead-letter test messages in the
// demo: the tests run on their own broker and graph, never on the demo's.
const demoKafkaPort = '9092';
const demoBoltPort = '7687';

describe("the tests' Kafka and Neo4j are not the demo's", () => {
  it('ignores KAFKA_BROKERS and NEO4J_URI exported for the demo or a real cluster', () => {
    const env = { KAFKA_BROKERS: 'localhost:9092', NEO4J_URI: 'bolt://localhost:7687' };
    expect(endpointsFromEnvironment(env)).toBeUndefined();
    expect(
      endpointsFromEnvironment({
        ...env,
        VIGIL_TEST_KAFKA_BROKERS: 'ci-kafka:9092',
        VIGIL_TEST_NEO4J_URI: 'bolt://ci-neo4j:7687',
      }),
    ).toMatchObject({ kafkaBrokers: 'ci-kafka:9092', neo4jUri: 'bolt://ci-neo4j:7687' });
  });

  it("starts the launcher's copy in its own data folder and on its own ports", () => {
    const env = testInfraEnvironment({ KAFKA_PORT: demoKafkaPort, NEO4J_BOLT_PORT: demoBoltPort });
    expect(env.VIGIL_INFRA_INSTANCE).toBe('test');
    expect(env.KAFKA_PORT).not.toBe(demoKafkaPort);
    expect(env.NEO4J_BOLT_PORT).not.toBe(demoBoltPort);
  });

  it('this run talks to that copy (or to infra named for tests), not to the demo ports', () => {
    const endpoints = JSON.parse(readFileSync(testEnvFile, 'utf8')) as InfraEndpoints;
    if (endpoints.provider !== 'local-launcher') return; // named on purpose, or containers
    expect(process.env.KAFKA_BROKERS).toBe(endpoints.kafkaBrokers);
    expect(endpoints.kafkaBrokers.endsWith(`:${demoKafkaPort}`)).toBe(false);
    expect(endpoints.neo4jUri.endsWith(`:${demoBoltPort}`)).toBe(false);
  });
});
