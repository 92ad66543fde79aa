import { createServer } from 'node:net';
import { Neo4jConnection } from './neo4j-connection';

/** A local port nothing listens on (taken from the OS, then let go). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  return typeof address === 'object' && address ? address.port : 0;
}

describe('Neo4jConnection', () => {
  // a service's driver retries for 30 s (it rides out a restart): past this test's timeout, so
  // the test fails if a command got the service's patience
  it('tells a waiting command that the server is unreachable instead of retrying for 30 s', async () => {
    const uri = `bolt://127.0.0.1:${await closedPort()}`;
    const connection = new Neo4jConnection({ uri, patience: 'command' });
    try {
      await expect(connection.read('RETURN 1')).rejects.toThrow(/ECONNREFUSED/);
    } finally {
      await connection.driver.close();
    }
  }, 20_000);
});
