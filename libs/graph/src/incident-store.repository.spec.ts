import type { Neo4jConnection } from './neo4j-connection';
import {
  anyWordQuery,
  fullTextQuery,
  IncidentStoreRepository,
  incidentStoreSchemaStatements,
} from './incident-store.repository';

describe('fullTextQuery', () => {
  it('requires every word', () => {
    expect(fullTextQuery('payment  timeouts')).toBe('+payment +timeouts');
  });

  it("escapes Lucene's operators, so people's words are never a syntax error", () => {
    expect(fullTextQuery('checkout-api (5xx) title:x')).toBe(
      '+checkout\\-api +\\(5xx\\) +title\\:x',
    );
  });

  it('has no query when no word is left', () => {
    expect(fullTextQuery(' ( ) * ')).toBeUndefined();
  });
});

describe('a store under a label prefix', () => {
  const connection = {} as Neo4jConnection;

  it('reads and writes its own labels and indexes, never the default store', () => {
    const bench = new IncidentStoreRepository(connection, { labelPrefix: 'Bench' });
    const statements = incidentStoreSchemaStatements.map((s) => bench.cypher(s));
    expect(statements).toContain(
      'CREATE FULLTEXT INDEX bench_incident_text IF NOT EXISTS FOR (i:BenchIncident) ON EACH [i.title, i.alertText]',
    );
    expect(statements.join('\n')).not.toMatch(/[(:]Incident\b|:HistoryEvent\b| incident_/);
    expect(
      bench.cypher("CALL db.index.fulltext.queryNodes('incident_text', $q) MATCH (e:HistoryEvent)"),
    ).toBe(
      "CALL db.index.fulltext.queryNodes('bench_incident_text', $q) MATCH (e:BenchHistoryEvent)",
    );
  });

  it('leaves the default store as written', () => {
    const store = new IncidentStoreRepository(connection);
    expect(store.cypher('MATCH (i:Incident)')).toBe('MATCH (i:Incident)');
  });

  it('refuses a prefix that could change the statement', () => {
    expect(
      () => new IncidentStoreRepository(connection, { labelPrefix: 'x) DETACH DELETE (' }),
    ).toThrow(/capitalised word/);
  });
});

describe('anyWordQuery', () => {
  it('asks for any of the words, once each, escaped and lower-cased (OR is no operator then)', () => {
    expect(anyWordQuery('Checkout errors OR timeouts\ncheckout (5xx)')).toBe(
      'checkout errors or timeouts \\(5xx\\)',
    );
    expect(anyWordQuery(' - ')).toBeUndefined();
  });
});
