import neo4j from 'neo4j-driver';
import type { StoredIncident } from '@vigil/contracts';
import type { Neo4jConnection } from './neo4j-connection';

/** One stored event (see libs/incident-view `HistoryRecord`): a stable key, its time and JSON. */
export interface StoredHistoryEvent {
  key: string;
  kind: string;
  incidentId?: string;
  planId?: string;
  at: string;
  payload: string;
}

/** An incident as folded for the store, with what reports read of it (JSON) when the fold has it. */
export type FoldedIncident = StoredIncident & { reportFacts?: string };

/** Folds one incident's stored events; undefined while the incident itself is unknown. */
export type IncidentFold = (
  incidentId: string,
  events: readonly StoredHistoryEvent[],
) => FoldedIncident | undefined;

/**
 * Folds kept between events (libs/incident-view's `IncidentFoldCache`), so that storing an
 * incident's next event need not re-read and re-fold all of them (see `record`).
 */
export interface IncidentFolds {
  /** Whether `advance` may take the event (else only a full fold will do: no count needed). */
  mayAdvance(incidentId: string, event: StoredHistoryEvent): boolean;
  /**
   * The fold with `event` applied when the folds hold the incident's other `stored - 1` stored
   * events; 'unchanged' when they hold it already and the store has nothing more; else undefined.
   */
  advance(
    incidentId: string,
    event: StoredHistoryEvent,
    stored: number,
  ): FoldedIncident | 'unchanged' | undefined;
  /** Folds all the incident's stored events, and keeps the fold. */
  fold(incidentId: string, events: readonly StoredHistoryEvent[]): FoldedIncident | undefined;
  forget(incidentId: string): void;
}

export interface IncidentHistoryQuery {
  status?: readonly string[];
  severity?: readonly string[];
  service?: string;
  /** Epoch ms: incidents updated at or after. */
  since?: number;
  /** Epoch ms: incidents opened at or before. */
  until?: number;
  /** Words, all of which must appear in the title or the alerts' names and summaries. */
  q?: string;
  limit: number;
  offset: number;
}

export type IncidentHistoryRow = Omit<StoredIncident, 'view' | 'alertText' | 'fingerprints'>;

export interface IncidentHistoryPage {
  incidents: IncidentHistoryRow[];
  /** Where the next page starts; absent on the last page. */
  nextOffset?: number;
}

/** Constraints and indexes of the incident store, applied at start-up like the topology's. */
export const incidentStoreSchemaStatements: readonly string[] = [
  'CREATE CONSTRAINT incident_id_unique IF NOT EXISTS FOR (i:Incident) REQUIRE i.id IS UNIQUE',
  'CREATE CONSTRAINT history_event_key_unique IF NOT EXISTS FOR (e:HistoryEvent) REQUIRE e.key IS UNIQUE',
  'CREATE INDEX history_event_incident IF NOT EXISTS FOR (e:HistoryEvent) ON (e.incidentId)',
  'CREATE INDEX history_event_plan IF NOT EXISTS FOR (e:HistoryEvent) ON (e.planId)',
  'CREATE INDEX incident_opened IF NOT EXISTS FOR (i:Incident) ON (i.openedAtMs)',
  'CREATE INDEX incident_resolved IF NOT EXISTS FOR (i:Incident) ON (i.resolvedAtMs)',
  'CREATE INDEX incident_updated IF NOT EXISTS FOR (i:Incident) ON (i.updatedAtMs)',
  'CREATE INDEX incident_status IF NOT EXISTS FOR (i:Incident) ON (i.status)',
  'CREATE INDEX incident_root_cause IF NOT EXISTS FOR (i:Incident) ON (i.rootCause)',
  'CREATE FULLTEXT INDEX incident_text IF NOT EXISTS FOR (i:Incident) ON EACH [i.title, i.alertText]',
];

const putEventCypher = `
MERGE (e:HistoryEvent {key: $key})
ON CREATE SET e.kind = $kind, e.incidentId = $incidentId, e.planId = $planId, e.at = $at,
  e.atMs = $atMs, e.payload = $payload`;

const putEventsCypher = `
UNWIND $events AS event
MERGE (e:HistoryEvent {key: event.key})
ON CREATE SET e.kind = event.kind, e.incidentId = event.incidentId, e.planId = event.planId,
  e.at = event.at, e.atMs = event.atMs, e.payload = event.payload`;

// Bulk: no AFFECTS links (the per-incident save makes them); for benchmarks and imports.
const saveIncidentsCypher = `
UNWIND $incidents AS row
MERGE (i:Incident {id: row.id})
WITH i, row WHERE coalesce(i.eventCount, 0) <= row.eventCount
SET i += row`;

const deleteAllCypher = [
  'MATCH (n:Incident) WITH n LIMIT 10000 DETACH DELETE n RETURN count(*) AS deleted',
  'MATCH (n:HistoryEvent) WITH n LIMIT 10000 DETACH DELETE n RETURN count(*) AS deleted',
];

const planIncidentCypher = `
MATCH (e:HistoryEvent {planId: $planId, kind: 'plan'})
RETURN e.incidentId AS incidentId LIMIT 1`;

// Its own events, and the decisions on its plans (they name only the plan).
const incidentEventsCypher = `
MATCH (e:HistoryEvent {incidentId: $id})
WITH collect(e) AS own
WITH own, [x IN own WHERE x.kind = 'plan' | x.planId] AS plans
OPTIONAL MATCH (d:HistoryEvent) WHERE d.planId IN plans AND d.incidentId IS NULL
WITH own, collect(d) AS decided
UNWIND own + decided AS e
RETURN e.key AS key, e.kind AS kind, e.incidentId AS incidentId, e.planId AS planId,
  e.at AS at, e.payload AS payload`;

// How many events the incident's fold reads (as incidentEventsCypher), without reading them.
const incidentEventCountCypher = `
MATCH (e:HistoryEvent {incidentId: $id})
WITH count(e) AS own, collect(CASE WHEN e.kind = 'plan' THEN e.planId END) AS plans
OPTIONAL MATCH (d:HistoryEvent) WHERE d.planId IN plans AND d.incidentId IS NULL
WITH own, count(d) AS decided
RETURN own + decided AS stored`;

// A fold from more events wins: two writers folding the same incident at once cannot leave the
// smaller picture behind (events are only added, so more events means a later read).
const saveIncidentCypher = `
MERGE (i:Incident {id: $id})
WITH i WHERE coalesce(i.eventCount, 0) <= $eventCount
SET i.title = $title, i.severity = $severity, i.status = $status, i.services = $services,
  i.alertCount = $alertCount, i.openedAt = $openedAt, i.openedAtMs = $openedAtMs,
  i.updatedAt = $updatedAt, i.updatedAtMs = $updatedAtMs, i.resolvedAt = $resolvedAt,
  i.resolvedAtMs = $resolvedAtMs, i.fingerprints = $fingerprints, i.alertText = $alertText,
  i.rootCause = $rootCause, i.planState = $planState, i.view = $view, i.eventCount = $eventCount,
  i.reportFacts = $reportFacts
WITH i
OPTIONAL MATCH (i)-[old:AFFECTS]->()
DELETE old
WITH DISTINCT i
UNWIND $services AS name
MATCH (s:Entity:Service) WHERE s.id = name OR s.name = name
MERGE (i)-[:AFFECTS]->(s)`;

const getIncidentCypher = `
MATCH (i:Incident {id: $id}) WHERE i.view IS NOT NULL
RETURN i.view AS view, i.resolvedAt AS resolvedAt`;

// Every stored incident has openedAtMs; the range on it (to the end of time without an until)
// lets the list walk the opened index newest first and stop at the page.
const filterClauses = `
  i.openedAtMs <= $until
  AND (size($status) = 0 OR i.status IN $status)
  AND (size($severity) = 0 OR i.severity IN $severity)
  AND ($service IS NULL OR $service IN i.services)
  AND ($since IS NULL OR i.updatedAtMs >= $since)`;

const rowFields = `i.id AS id, i.title AS title, i.severity AS severity, i.status AS status,
  i.services AS services, i.alertCount AS alertCount, i.openedAt AS openedAt,
  i.updatedAt AS updatedAt, i.resolvedAt AS resolvedAt, i.rootCause AS rootCause,
  i.planState AS planState`;

const listCypher = `
MATCH (i:Incident) WHERE ${filterClauses}
RETURN ${rowFields}
ORDER BY i.openedAtMs DESC, i.id
SKIP $offset LIMIT $limit`;

// Unfinished incidents are few among months of resolved ones: found by status, then sorted
// (walking the opened index would read all of history to be sure none is left).
const listUnfinishedCypher = `
MATCH (i:Incident) USING INDEX i:Incident(status)
WHERE i.status IN $status AND ${filterClauses}
RETURN ${rowFields}
ORDER BY i.openedAtMs DESC, i.id
SKIP $offset LIMIT $limit`;

// The index answers best match first: no sort of every match (a common word matches most of
// history), the page is read off the front of that stream.
const searchCypher = `
CALL db.index.fulltext.queryNodes('incident_text', $q) YIELD node AS i
WITH i WHERE ${filterClauses}
RETURN ${rowFields}
SKIP $offset LIMIT $limit`;

// What a console shows at start: every unfinished incident and the newest finished ones, each
// with its own events and the decisions on its plans, so its board folds them as it would have
// from the topics.
const boardEventsCypher = `
CALL () {
  MATCH (i:Incident) WHERE i.status IN ['open', 'acknowledged'] AND i.view IS NOT NULL RETURN i
  UNION
  MATCH (i:Incident) WHERE i.updatedAtMs >= $since AND i.view IS NOT NULL RETURN i
}
WITH i ORDER BY i.updatedAtMs DESC LIMIT $limit
CALL (i) {
  MATCH (e:HistoryEvent {incidentId: i.id})
  RETURN collect(e) AS own
}
CALL (own) {
  UNWIND [x IN own WHERE x.kind = 'plan' | x.planId] AS planId
  MATCH (d:HistoryEvent {planId: planId}) WHERE d.incidentId IS NULL
  RETURN collect(d) AS decided
}
UNWIND own + decided AS e
RETURN e.key AS key, e.kind AS kind, e.incidentId AS incidentId, e.planId AS planId,
  e.at AS at, e.payload AS payload`;

// A report reads the facts of the incidents opened in its period (by the opened index); the view
// only of an incident stored before facts were kept.
const reportCypher = `
MATCH (i:Incident) WHERE i.openedAtMs >= $since AND i.openedAtMs <= $until AND i.view IS NOT NULL
  AND (size($services) = 0 OR any(s IN i.services WHERE s IN $services))
RETURN i.reportFacts AS facts, CASE WHEN i.reportFacts IS NULL THEN i.view END AS view,
  i.resolvedAt AS resolvedAt`;

const similarFields = `{.id, .title, .services, .rootCause, .alertText, .openedAt, .resolvedAt,
  .planState}`;

const similarTargetCypher = `
MATCH (t:Incident {id: $id}) WHERE t.view IS NOT NULL
RETURN t ${similarFields} AS incident`;

// Candidates: the same root cause, a shared service or a neighbour of one (through the topology's
// AFFECTS links), and the best matches of its alert words; the newest of each kind. The target is
// given by its facts, so an incident the store does not hold yet (the planner's) has them too.
const similarCandidatesCypher = `
CALL () {
  MATCH (s:Entity) WHERE s.id IN $services AND s:Service RETURN s
  UNION
  MATCH (s:Entity) WHERE s.name IN $services AND s:Service RETURN s
}
WITH collect(s) AS affected
CALL (affected) {
  MATCH (c:Incident) WHERE $rootCause IS NOT NULL AND c.rootCause = $rootCause
    AND ($planState IS NULL OR c.planState = $planState)
  RETURN c, null AS hops ORDER BY c.openedAtMs DESC LIMIT 100
  UNION
  UNWIND affected AS s
  MATCH (s)<-[:AFFECTS]-(c:Incident) WHERE $planState IS NULL OR c.planState = $planState
  RETURN c, 0 AS hops ORDER BY c.openedAtMs DESC LIMIT 100
  UNION
  UNWIND affected AS s
  MATCH (s)-[:CALLS|DEPENDS_ON]-(:Entity)<-[:AFFECTS]-(c:Incident)
  WHERE $planState IS NULL OR c.planState = $planState
  RETURN c, 1 AS hops ORDER BY c.openedAtMs DESC LIMIT 100
  UNION
  CALL db.index.fulltext.queryNodes('incident_text', $words) YIELD node AS c
  WITH c WHERE $planState IS NULL OR c.planState = $planState
  RETURN c, null AS hops LIMIT 100
}
WITH c, min(hops) AS hops WHERE c.id <> $id AND c.view IS NOT NULL
RETURN c ${similarFields} AS incident, hops`;

const expiredCypher = `
MATCH (i:Incident) WHERE i.status = 'resolved' AND i.resolvedAtMs < $before
RETURN i.id AS id LIMIT $limit`;

// Batches keep one transaction small after a long outage of the writer.
const deleteIncidentsCypher = `
UNWIND $ids AS id
MATCH (i:Incident {id: id})
OPTIONAL MATCH (p:HistoryEvent {incidentId: id, kind: 'plan'})
WITH i, id, collect(p.planId) AS plans
OPTIONAL MATCH (e:HistoryEvent) WHERE e.incidentId = id OR (e.planId IN plans AND e.incidentId IS NULL)
WITH i, collect(e) AS events
FOREACH (e IN events | DETACH DELETE e)
DETACH DELETE i
RETURN count(*) AS deleted`;

// Events of incidents that never became known (an rca for an incident the correlator never
// published, a decision on a plan that never came) go with the same retention.
const deleteOrphansCypher = `
MATCH (e:HistoryEvent) WHERE e.atMs < $before
  AND NOT EXISTS { MATCH (i:Incident {id: e.incidentId}) }
  AND NOT EXISTS { MATCH (p:HistoryEvent {planId: e.planId, kind: 'plan'}) WHERE p.key <> e.key }
WITH e LIMIT 1000
DETACH DELETE e
RETURN count(*) AS deleted`;

/**
 * The durable incident store: every event about an incident kept once under its key, and one
 * (:Incident) per incident folded from all of them, linked to the services it affects. Storing an
 * event is idempotent and re-folds its incident from everything stored, so redeliveries, replays
 * and events that arrive before their incident or plan all end in the same picture.
 */
export class IncidentStoreRepository {
  private readonly relabelled = new Map<string, string>();

  /**
   * `labelPrefix` keeps a separate store in the same database (a benchmark's: `Bench` gives
   * (:BenchIncident), (:BenchHistoryEvent) and their own indexes), never seen by the apps.
   */
  constructor(
    private readonly connection: Neo4jConnection,
    private readonly options: { labelPrefix?: string } = {},
  ) {
    if (options.labelPrefix !== undefined && !/^[A-Z][A-Za-z0-9]{0,30}$/.test(options.labelPrefix))
      throw new Error(`a store label prefix is a capitalised word, got "${options.labelPrefix}"`);
  }

  /** The statement for this store's labels and index names (the default store's as written). */
  cypher(statement: string): string {
    const prefix = this.options.labelPrefix;
    if (!prefix) return statement;
    let text = this.relabelled.get(statement);
    if (text === undefined) {
      text = relabel(statement, prefix);
      this.relabelled.set(statement, text);
    }
    return text;
  }

  async applySchema(): Promise<void> {
    for (const statement of incidentStoreSchemaStatements)
      await this.connection.write(this.cypher(statement));
  }

  /**
   * Stores the event and folds its incident anew; returns the incident id when it was folded. The
   * fold the folds keep is advanced by the event when the store holds nothing else new; else
   * every stored event of the incident is read and folded.
   */
  async record(event: StoredHistoryEvent, folds: IncidentFolds): Promise<string | undefined> {
    await this.put(event);
    const incidentId = event.incidentId ?? (await this.incidentOfPlan(event.planId));
    if (!incidentId) return undefined;
    try {
      if (folds.mayAdvance(incidentId, event)) {
        const stored = await this.eventCount(incidentId);
        const step = folds.advance(incidentId, event, stored);
        if (step === 'unchanged') return incidentId;
        if (step) {
          await this.save(step, stored);
          return incidentId;
        }
      }
      const events = await this.events(incidentId);
      const incident = folds.fold(incidentId, events);
      if (incident) await this.save(incident, events.length);
    } catch (error) {
      // the store may not hold what the kept fold says: the retry folds everything
      folds.forget(incidentId);
      throw error;
    }
    return incidentId;
  }

  /** How many stored events the incident's fold reads (its own and the decisions on its plans). */
  async eventCount(incidentId: string): Promise<number> {
    const result = await this.connection.read(this.cypher(incidentEventCountCypher), {
      id: incidentId,
    });
    return Number(result.records[0]?.get('stored') ?? 0);
  }

  /** Stores the event once (by key) without re-folding: a rebuild folds each incident at the end. */
  async put(event: StoredHistoryEvent): Promise<void> {
    await this.connection.write(this.cypher(putEventCypher), eventParameters(event));
  }

  /** Stores many events at once (idempotent, as `put`): imports and benchmarks. */
  async putMany(events: readonly StoredHistoryEvent[]): Promise<void> {
    await this.connection.write(this.cypher(putEventsCypher), {
      events: events.map(eventParameters),
    });
  }

  /**
   * Saves many folded incidents at once, each with the number of events it was folded from (a
   * fold from fewer events never replaces one from more). Without the links to their services,
   * which the per-incident re-fold makes: for imports and benchmarks.
   */
  async saveMany(
    incidents: ReadonlyArray<{ incident: FoldedIncident; eventCount: number }>,
  ): Promise<void> {
    await this.connection.write(this.cypher(saveIncidentsCypher), {
      incidents: incidents.map(({ incident, eventCount }) => ({
        ...incidentProperties(incident),
        eventCount,
      })),
    });
  }

  /**
   * Deletes the whole store, in batches: only a store under a label prefix (a benchmark's own),
   * never the apps' store.
   */
  async deleteAll(): Promise<number> {
    if (!this.options.labelPrefix)
      throw new Error("deleteAll is for a prefixed store, not the apps'");
    let total = 0;
    for (const statement of deleteAllCypher)
      for (;;) {
        const result = await this.connection.write(this.cypher(statement));
        const deleted = Number(result.records[0]?.get('deleted') ?? 0);
        total += deleted;
        if (deleted === 0) break;
      }
    return total;
  }

  async refold(incidentId: string, fold: IncidentFold): Promise<void> {
    const events = await this.events(incidentId);
    const incident = fold(incidentId, events);
    if (incident) await this.save(incident, events.length);
  }

  async events(incidentId: string): Promise<StoredHistoryEvent[]> {
    const result = await this.connection.read(this.cypher(incidentEventsCypher), {
      id: incidentId,
    });
    return result.records.map((r) => eventOf(r.toObject()));
  }

  /**
   * The stored events of what a live board starts with: every open or acknowledged incident and
   * those updated since `since` (epoch ms), at most `limit` incidents, the most recently updated.
   */
  async boardEvents(options: { since: number; limit: number }): Promise<StoredHistoryEvent[]> {
    const result = await this.connection.read(this.cypher(boardEventsCypher), {
      since: options.since,
      limit: neo4j.int(options.limit),
    });
    return result.records.map((r) => eventOf(r.toObject()));
  }

  /** The stored view of an incident (JSON, as folded), or undefined when the store has none. */
  async get(incidentId: string): Promise<{ view: string; resolvedAt?: string } | undefined> {
    const result = await this.connection.read(this.cypher(getIncidentCypher), { id: incidentId });
    const row = result.records[0];
    if (!row) return undefined;
    return { view: row.get('view') as string, ...optional('resolvedAt', row.get('resolvedAt')) };
  }

  /** Newest first; with words, best match first. Reads one row more than asked to know if more follow. */
  async list(query: IncidentHistoryQuery): Promise<IncidentHistoryPage> {
    const q = query.q === undefined ? undefined : fullTextQuery(query.q);
    const params = {
      status: query.status ?? [],
      severity: query.severity ?? [],
      service: query.service ?? null,
      since: query.since ?? null,
      until: query.until ?? Number.MAX_SAFE_INTEGER,
      // SKIP and LIMIT take integers only, and JavaScript numbers travel as floats
      offset: neo4j.int(query.offset),
      limit: neo4j.int(query.limit + 1),
      q: q ?? null,
    };
    const unfinished = query.status?.length && !query.status.includes('resolved');
    const statement = q ? searchCypher : unfinished ? listUnfinishedCypher : listCypher;
    const result = await this.connection.read(this.cypher(statement), params);
    const rows = result.records.map((r) => rowOf(r.toObject()));
    const more = rows.length > query.limit;
    return {
      incidents: rows.slice(0, query.limit),
      ...(more && { nextOffset: query.offset + query.limit }),
    };
  }

  /**
   * The incidents opened in [since, until] (epoch ms) on any of `services` (all when empty), for
   * a report: the facts the store keeps (JSON), or the view of one stored before it kept them.
   */
  async reportIncidents(options: {
    since: number;
    until: number;
    services?: readonly string[];
  }): Promise<Array<{ facts?: string; view?: string; resolvedAt?: string }>> {
    const result = await this.connection.read(this.cypher(reportCypher), {
      since: options.since,
      until: options.until,
      services: options.services ?? [],
    });
    return result.records.map((r) => ({
      ...optional('facts', r.get('facts')),
      ...optional('view', r.get('view')),
      ...optional('resolvedAt', r.get('resolvedAt')),
    }));
  }

  /**
   * An incident's facts and the stored incidents that may be like it (same root cause, shared or
   * neighbouring services, alike alert words), for ranking; undefined when it is not stored.
   */
  async similarCandidates(
    incidentId: string,
  ): Promise<{ target: StoredSimilarity; candidates: StoredSimilarity[] } | undefined> {
    const found = await this.connection.read(this.cypher(similarTargetCypher), { id: incidentId });
    const row = found.records[0];
    if (!row) return undefined;
    const target = similarityOf(row.get('incident') as Record<string, unknown>);
    return { target, candidates: await this.candidatesLike(target) };
  }

  /**
   * The stored incidents that may be like one described by its facts (it need not be stored):
   * the same root cause, shared or neighbouring services, alike alert words. `planState` keeps
   * only those whose latest plan ended so ('completed': what worked).
   */
  async candidatesLike(
    target: Pick<StoredSimilarity, 'id' | 'title' | 'alertText' | 'rootCause'> & {
      services: readonly string[];
    },
    options: { planState?: string } = {},
  ): Promise<StoredSimilarity[]> {
    const words = anyWordQuery(`${target.title}\n${target.alertText}`) ?? '';
    const result = await this.connection.read(this.cypher(similarCandidatesCypher), {
      id: target.id,
      rootCause: target.rootCause ?? null,
      services: target.services,
      planState: options.planState ?? null,
      words: words || 'nothing-to-match',
    });
    return result.records.map((r) => ({
      ...similarityOf(r.get('incident') as Record<string, unknown>),
      ...(r.get('hops') !== null && { hops: Number(r.get('hops')) }),
    }));
  }

  /** Deletes resolved incidents that ended before `before` (epoch ms), with their events. */
  async deleteResolvedBefore(before: number): Promise<number> {
    let total = 0;
    for (;;) {
      const result = await this.connection.read(this.cypher(expiredCypher), {
        before,
        limit: neo4j.int(200),
      });
      const ids = result.records.map((r) => r.get('id') as string);
      if (ids.length === 0) break;
      total += await this.deleteIncidents(ids);
    }
    for (;;) {
      const result = await this.connection.write(this.cypher(deleteOrphansCypher), { before });
      if (Number(result.records[0]?.get('deleted') ?? 0) === 0) break;
    }
    return total;
  }

  /** Deletes incidents and all their events (retention, and tests cleaning up after themselves). */
  async deleteIncidents(ids: readonly string[]): Promise<number> {
    if (ids.length === 0) return 0;
    const result = await this.connection.write(this.cypher(deleteIncidentsCypher), { ids });
    // events of an incident that never became known have no (:Incident) to start from
    await this.connection.write(
      this.cypher('UNWIND $ids AS id MATCH (e:HistoryEvent {incidentId: id}) DETACH DELETE e'),
      { ids },
    );
    return Number(result.records[0]?.get('deleted') ?? 0);
  }

  /** The incident a stored plan belongs to. */
  async incidentOfPlan(planId: string | undefined): Promise<string | undefined> {
    if (!planId) return undefined;
    const result = await this.connection.read(this.cypher(planIncidentCypher), { planId });
    return (result.records[0]?.get('incidentId') as string | null | undefined) ?? undefined;
  }

  private async save(incident: FoldedIncident, eventCount: number): Promise<void> {
    await this.connection.write(this.cypher(saveIncidentCypher), {
      ...incidentProperties(incident),
      eventCount,
    });
  }
}

const storeIndexNames = incidentStoreSchemaStatements.map(
  (s) => /(?:CONSTRAINT|INDEX) (\w+) IF NOT EXISTS/.exec(s)?.[1] ?? '',
);

function relabel(statement: string, prefix: string): string {
  let text = statement
    .replace(/:Incident\b/g, `:${prefix}Incident`)
    .replace(/:HistoryEvent\b/g, `:${prefix}HistoryEvent`);
  for (const name of storeIndexNames)
    text = text.replace(new RegExp(`\\b${name}\\b`, 'g'), `${prefix.toLowerCase()}_${name}`);
  return text;
}

// Lucene's operators in people's words would be syntax errors or change the meaning.
const luceneSpecial = /[+\-&|!(){}[\]^"~*?:\\/]/g;

/**
 * Words for the full-text index: each word escaped, all of them required. Undefined when no word
 * is left (the API refuses such a search before it gets here).
 */
export function fullTextQuery(words: string): string | undefined {
  const terms = words
    .split(/\s+/)
    .filter((w) => /[\p{L}\p{N}]/u.test(w))
    .map((w) => w.replace(luceneSpecial, (c) => `\\${c}`));
  return terms.length ? terms.map((t) => `+${t}`).join(' ') : undefined;
}

function optional<K extends string>(key: K, value: unknown): Partial<Record<K, string>> {
  return typeof value === 'string' ? ({ [key]: value } as Record<K, string>) : {};
}

/** What similarity reads of a stored incident (see libs/incident-view `SimilarCandidate`). */
export interface StoredSimilarity {
  id: string;
  title: string;
  services: string[];
  rootCause?: string;
  alertText: string;
  openedAt: string;
  resolvedAt?: string;
  planState?: string;
  hops?: number;
}

function similarityOf(r: Record<string, unknown>): StoredSimilarity {
  return {
    id: r['id'] as string,
    title: (r['title'] as string | null) ?? '',
    services: (r['services'] as string[] | null) ?? [],
    alertText: (r['alertText'] as string | null) ?? '',
    openedAt: r['openedAt'] as string,
    ...optional('rootCause', r['rootCause']),
    ...optional('resolvedAt', r['resolvedAt']),
    ...optional('planState', r['planState']),
  };
}

/** Any of the words (at most 30, each escaped) for the full-text index; undefined when none. */
export function anyWordQuery(text: string): string | undefined {
  const words = [
    ...new Set(
      text
        .split(/\s+/)
        .filter((w) => /[\p{L}\p{N}]/u.test(w))
        // lower case: AND, OR and NOT in capitals are Lucene's operators
        .map((w) => w.toLowerCase().replace(luceneSpecial, (c) => `\\${c}`)),
    ),
  ].slice(0, 30);
  return words.length ? words.join(' ') : undefined;
}

/** The (:Incident) properties of a folded incident, every one present (null when absent). */
function incidentProperties(incident: FoldedIncident): Record<string, unknown> {
  return {
    id: incident.id,
    title: incident.title,
    severity: incident.severity,
    status: incident.status,
    services: incident.services,
    alertCount: incident.alertCount,
    openedAt: incident.openedAt,
    openedAtMs: Date.parse(incident.openedAt),
    updatedAt: incident.updatedAt,
    updatedAtMs: Date.parse(incident.updatedAt),
    resolvedAt: incident.resolvedAt ?? null,
    resolvedAtMs: incident.resolvedAt ? Date.parse(incident.resolvedAt) : null,
    fingerprints: incident.fingerprints,
    alertText: incident.alertText,
    rootCause: incident.rootCause ?? null,
    planState: incident.planState ?? null,
    view: incident.view,
    reportFacts: incident.reportFacts ?? null,
  };
}

function eventOf(r: Record<string, unknown>): StoredHistoryEvent {
  return {
    key: r['key'] as string,
    kind: r['kind'] as string,
    at: r['at'] as string,
    payload: r['payload'] as string,
    ...optional('incidentId', r['incidentId']),
    ...optional('planId', r['planId']),
  };
}

function rowOf(r: Record<string, unknown>): IncidentHistoryRow {
  return {
    id: r['id'] as string,
    title: r['title'] as string,
    severity: r['severity'] as string,
    status: r['status'] as string,
    services: (r['services'] as string[] | null) ?? [],
    alertCount: Number(r['alertCount'] ?? 0),
    openedAt: r['openedAt'] as string,
    updatedAt: r['updatedAt'] as string,
    ...optional('resolvedAt', r['resolvedAt']),
    ...optional('rootCause', r['rootCause']),
    ...optional('planState', r['planState']),
  };
}

/** An event as the put queries take it: no undefined (Neo4j wants null), its time in ms too. */
function eventParameters(event: StoredHistoryEvent) {
  return {
    key: event.key,
    kind: event.kind,
    incidentId: event.incidentId ?? null,
    planId: event.planId ?? null,
    at: event.at,
    atMs: Date.parse(event.at),
    payload: event.payload,
  };
}
