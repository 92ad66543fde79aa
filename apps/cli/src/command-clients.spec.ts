import { unreachable } from './command-clients';

describe('unreachable', () => {
  it('says which server did not answer, where, and what to do, with the first sentence of why', () => {
    const driver = new Error(
      'Failed to connect to server. Please ensure that your database is listening on the correct host. Caused by: connect ECONNREFUSED 127.0.0.1:7687',
    );
    expect((unreachable('Neo4j', 'NEO4J_URI', 'bolt://db:7687', driver) as Error).message).toBe(
      'Neo4j did not answer at NEO4J_URI=bolt://db:7687: Failed to connect to server (ECONNREFUSED). Start it (npm run infra:up) or point NEO4J_URI at yours.',
    );
  });

  it('passes on what is no network failure, whose remedy is another', () => {
    const refused = new Error('SASL authentication failed for user vigil-cli');
    expect(unreachable('Kafka', 'KAFKA_BROKERS', 'k:9093', refused)).toBe(refused);
  });
});
