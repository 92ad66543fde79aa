import { graphSettingsFromProcessEnv, Neo4jConnection } from '@vigil/graph';
import { classifyFailure } from '@vigil/messaging';

describe('Neo4jConnection: every query has a timeout', () => {
  const connection = new Neo4jConnection({ ...graphSettingsFromProcessEnv(), queryTimeoutMs: 100 });
  afterAll(() => connection.close());

  it('ends a query that runs too long, with an error consumers retry rather than dead-letter', async () => {
    // reads nothing of the graph: a count over a long range, minutes of work without the timeout
    const slow = connection.read('UNWIND range(1, 10000000000) AS x RETURN count(x) AS n');
    const error: unknown = await slow.then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(error).toMatchObject({ code: expect.stringMatching(/TransactionTimedOut/) });
    expect(classifyFailure(error)).toBe('transient');
  });

  it('leaves a quick query alone', async () => {
    const result = await connection.read<{ n: number }>('RETURN 1 AS n');
    expect(result.records[0]?.get('n')).toBe(1);
  });
});
