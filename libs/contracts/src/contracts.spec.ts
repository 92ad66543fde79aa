import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeEvent } from './event-validation';
import { exportJsonSchemas } from './json-schema-export';
import { allTopics, topicByName, Topics } from './topics';
import { validExamples } from './testing/valid-examples';

describe('topic registry', () => {
  it('names every topic of docs/ARCHITECTURE.md once, each versioned', () => {
    const names = allTopics.map((t) => t.name);
    expect(new Set(names).size).toBe(names.length);
    expect(names).toEqual(
      expect.arrayContaining([
        'vigil.alerts.raw.v1',
        'vigil.logs.v1',
        'vigil.metrics.v1',
        'vigil.topology.v1',
        'vigil.spans.v1',
        'vigil.traces.v1',
        'vigil.anomalies.v1',
        'vigil.incidents.v1',
        'vigil.rca.v1',
        'vigil.remediation.plans.v1',
        'vigil.remediation.decisions.v1',
        'vigil.remediation.executions.v1',
        'vigil.dlq.v1',
      ]),
    );
    for (const name of names) expect(name).toMatch(/\.v\d+$/);
  });

  it.each(Object.entries(validExamples))('accepts a valid %s event and keys it', (key, example) => {
    const topic = topicByName(Topics[key as keyof typeof Topics].name);
    if (!topic) throw new Error(`no topic for ${key}`);
    const result = decodeEvent(topic, Buffer.from(JSON.stringify(example)));
    expect(result).toEqual({ ok: true, value: expect.anything() });
    if (result.ok) expect(topic.keyOf(result.value)).toMatch(/\S/);
  });

  it('has a valid example for every topic', () => {
    expect(Object.keys(validExamples).sort()).toEqual(Object.keys(Topics).sort());
  });
});

describe('decodeEvent', () => {
  it('reports malformed JSON as such', () => {
    const result = decodeEvent(Topics.topology, Buffer.from('{"op": "entity.upsert",'));
    expect(result).toMatchObject({ ok: false, kind: 'malformed-json' });
  });

  it('reports a missing value', () => {
    expect(decodeEvent(Topics.logs, null)).toMatchObject({ ok: false, kind: 'malformed-json' });
  });

  it('names the field and the expectation when the schema is violated', () => {
    const bad = { ...validExamples.alertsRaw, severity: 'apocalyptic', startsAt: 'yesterday' };
    const result = decodeEvent(Topics.alertsRaw, JSON.stringify(bad));
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.kind).toBe('schema-violation');
      expect(result.reason).toContain('vigil.alerts.raw.v1');
      expect(result.reason).toMatch(/severity/);
      expect(result.reason).toMatch(/startsAt/);
    }
  });

  it('refuses another schema version', () => {
    const result = decodeEvent(
      Topics.logs,
      JSON.stringify({ ...validExamples.logs, schemaVersion: 2 }),
    );
    expect(result).toMatchObject({ ok: false, kind: 'schema-violation' });
  });

  it('refuses an unknown topology operation and an unknown edge type', () => {
    const unknownOp = { ...validExamples.topology, op: 'entity.explode' };
    expect(decodeEvent(Topics.topology, JSON.stringify(unknownOp)).ok).toBe(false);
    const badEdge = {
      schemaVersion: 1,
      eventId: 'e2',
      source: 'test',
      occurredAt: '2026-01-01T00:00:00Z',
      op: 'edge.upsert',
      edge: { type: 'LOVES', from: 'a', to: 'b' },
    };
    const result = decodeEvent(Topics.topology, JSON.stringify(badEdge));
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toMatch(/edge\.type/);
  });

  it('refuses entity ids that could not be graph ids', () => {
    const bad = {
      ...validExamples.topology,
      entity: { id: 'a b}) DETACH DELETE n //', kind: 'service' },
    };
    expect(decodeEvent(Topics.topology, JSON.stringify(bad)).ok).toBe(false);
  });

  it('keys topology edges by their source entity so they stay in order with it', () => {
    const edge = {
      schemaVersion: 1,
      eventId: 'e3',
      source: 'test',
      occurredAt: '2026-01-01T00:00:00Z',
      op: 'edge.upsert',
      edge: { type: 'CALLS', from: 'frontend', to: 'cart' },
    };
    const result = decodeEvent(Topics.topology, JSON.stringify(edge));
    expect(result.ok && Topics.topology.keyOf(result.value)).toBe('frontend');
  });
});

describe('call spans', () => {
  const span = {
    schemaVersion: 1,
    caller: 'checkout',
    callee: 'payment',
    time: '2026-01-01T00:00:00Z',
  };

  it('needs only caller, callee and time: one ok call', () => {
    const result = decodeEvent(Topics.spans, JSON.stringify(span));
    expect(result).toEqual({ ok: true, value: { ...span, status: 'ok', count: 1 } });
    expect(result.ok && Topics.spans.keyOf(result.value)).toBe('checkout');
  });

  it.each([
    [{ status: 'timeout' }, /status/],
    [{ count: 0 }, /count/],
    [{ count: 1.5 }, /count/],
    [{ durationMs: -1 }, /durationMs/],
    [{ callee: 'pay ment' }, /callee/],
    [{ time: 'now' }, /time/],
  ])('refuses %j', (change, field) => {
    const result = decodeEvent(Topics.spans, JSON.stringify({ ...span, ...change }));
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toMatch(field);
  });
});

describe('trace spans', () => {
  const span = {
    schemaVersion: 1,
    traceId: 't1',
    spanId: 's2',
    service: 'cart',
    time: '2026-01-01T00:00:00.125Z',
    durationMs: 4.5,
  };

  it('keys a span by its trace, so a trace stays on one partition', () => {
    const result = decodeEvent(Topics.traces, JSON.stringify(span));
    expect(result).toEqual({ ok: true, value: { ...span, operation: '', status: 'ok' } });
    expect(result.ok && Topics.traces.keyOf(result.value)).toBe('t1');
  });

  it.each([
    [{ spanId: '' }, /spanId/],
    [{ parentSpanId: '' }, /parentSpanId/],
    [{ durationMs: undefined }, /durationMs/],
    [{ service: 'my cart' }, /service/],
    [{ status: 'unset' }, /status/],
  ])('refuses %j', (change, field) => {
    const result = decodeEvent(Topics.traces, JSON.stringify({ ...span, ...change }));
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toMatch(field);
  });
});

describe('JSON Schema export', () => {
  it('writes one schema per topic, and the committed files are up to date', () => {
    const exported = exportJsonSchemas();
    expect(exported).toHaveLength(allTopics.length);
    for (const { fileName, content } of exported) {
      const committed = readFileSync(join(__dirname, '..', 'json-schema', fileName), 'utf8');
      // A stale file misleads producers in other languages: regenerate with `npm run contracts:schemas`.
      expect(committed).toBe(content);
    }
  });

  it('describes required fields and enums as zod does', () => {
    const alert = exportJsonSchemas().find((s) => s.fileName.startsWith('vigil.alerts.raw.v1'));
    const doc = JSON.parse(alert?.content ?? '{}');
    expect(doc.required).toEqual(
      expect.arrayContaining(['fingerprint', 'status', 'service', 'startsAt']),
    );
    expect(doc.properties.severity.enum).toEqual(['critical', 'error', 'warning', 'info']);
  });
});
