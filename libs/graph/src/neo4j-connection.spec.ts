import { Neo4jConnection } from './neo4j-connection';

/** A port nothing listens on: privileged (tcpmux), used by no service here or on a laptop. */
const closedPort = 1;

describe('Neo4jConnection', () => {
  // a service's driver retries for 30 s (it rides out a restart): past this test's timeout, so
  // the test fails if a command got the service's patience
  it('tells a waiting command that the server is unreachable instead of retrying for 30 s', async () => {
    const uri = `bolt://127.0.0.1:${closedPort}`;
    const connection = new Neo4jConnection({ uri, patience: 'command' });
    try {
      await expect(connection.read('RETURN 1')).rejects.toThrow(/ECONNREFUSED/);
    } finally {
      await connection.driver.close();
    }
  }, 20_000);
});
