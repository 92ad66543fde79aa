import { GraphTestScope, graphSettingsFromProcessEnv } from './graph-test-scope';

// The driver connects lazily: building a scope needs no Neo4j.
const settings = { uri: 'bolt://localhost:7687' };

describe('GraphTestScope', () => {
  it('refuses a prefix that could match entities the test did not write', async () => {
    for (const prefix of ['', '-', 'payment', 'ab-'])
      expect(() => new GraphTestScope(prefix, settings)).toThrow(/run-unique prefix/);
  });

  it('names the scope’s entities with its prefix', async () => {
    const scope = new GraphTestScope('t1a2b3c4-', settings);
    expect(scope.id('checkout')).toBe('t1a2b3c4-checkout');
    await scope.connection.close();
  });

  it('connects to the Neo4j the environment names, with its credentials', () => {
    expect(
      graphSettingsFromProcessEnv({
        NEO4J_URI: 'bolt://graph.test:7687',
        NEO4J_USER: 'neo4j',
        NEO4J_PASSWORD: 'secret',
      }),
    ).toMatchObject({ uri: 'bolt://graph.test:7687', user: 'neo4j', password: 'secret' });
    expect(graphSettingsFromProcessEnv({}).uri).toBe('bolt://localhost:7687');
  });
});
