import type {
  Anomaly,
  Alert,
  CallSpan,
  IncidentEvent,
  LogRecord,
  MetricBatch,
  TraceSpan,
} from '@vigil/contracts';
import { IncidentEvidenceStore } from './incident-evidence-store';
import { logBehaviourSeries } from './telemetry/log-evidence';
import { linkWaitMetric } from './telemetry/span-evidence';
import { lineStepTransitions } from './telemetry/step-transitions';
import type { StepTransitionCount } from './rca-case';

const T0 = Date.parse('2026-11-27T10:00:00Z');
const iso = (minute: number) => new Date(T0 + minute * 60_000).toISOString();

function batch(service: string, minutes: number[], value = 1): MetricBatch {
  return {
    schemaVersion: 1,
    service,
    samples: minutes.map((m) => ({ name: 'latency', value: value + m, labels: {}, time: iso(m) })),
  };
}

function alert(service: string, fingerprint: string, minute: number): Alert {
  return {
    schemaVersion: 1,
    fingerprint,
    source: 'test',
    status: 'firing',
    alertname: 'HighLatency',
    severity: 'warning',
    service,
    labels: {},
    annotations: {},
    startsAt: iso(minute),
    receivedAt: iso(minute),
  };
}

function incidentEvent(
  incidentId: string,
  services: string[],
  minute: number,
  extra: Partial<IncidentEvent> = {},
): IncidentEvent {
  return {
    schemaVersion: 1,
    eventId: `${incidentId}:${minute}`,
    incidentId,
    at: iso(minute),
    type: 'alert-attached',
    fingerprint: `${incidentId}-${minute}`,
    reason: { kind: 'first-alert' },
    incident: {
      title: 't',
      severity: 'warning',
      status: 'open',
      services,
      alertCount: 1,
      openedAt: iso(minute),
      updatedAt: iso(minute),
    },
    ...extra,
  } as IncidentEvent;
}

const at = (seconds: number) => new Date(T0 + seconds * 1_000).toISOString();

function callSpan(callee: string, seconds: number, durationMs: number): CallSpan {
  const time = at(seconds);
  return { schemaVersion: 1, caller: 'frontend', callee, time, durationMs, status: 'ok', count: 3 };
}

function logRecord(service: string, seconds: number, level: LogRecord['level']): LogRecord {
  return { schemaVersion: 1, service, level, body: 'x', attributes: {}, time: at(seconds) };
}

const topology = {
  services: ['frontend', 'db'],
  edges: [{ from: 'frontend', to: 'db', type: 'CALLS' as const }],
};

describe('IncidentEvidenceStore', () => {
  it('builds a case from the incident: its alerts, metric history of the subgraph, and a period starting before the first alert', () => {
    const store = new IncidentEvidenceStore({
      historyMs: 30 * 60_000,
      maxPointsPerSeries: 100,
      leadMs: 5 * 60_000,
      retentionMs: 3_600_000,
    });
    store.addMetrics(batch('db', [0, 1, 2, 3]));
    store.addMetrics(batch('elsewhere', [0, 1]));
    store.addAlert(alert('frontend', 'f1', 10));
    store.observeIncident(
      incidentEvent('inc-1', ['frontend'], 12, { fingerprint: 'f1' } as Partial<IncidentEvent>),
    );
    const built = store.caseFor('inc-1', topology, T0 + 20 * 60_000);
    expect(built?.series.map((s) => s.service)).toEqual(['db']);
    expect(built?.alerts).toEqual([
      {
        service: 'frontend',
        fingerprint: 'f1',
        alertname: 'HighLatency',
        startsAt: T0 + 10 * 60_000,
      },
    ]);
    expect(built?.anomalyStart).toBe(T0 + 5 * 60_000);
  });

  it('takes log anomalies that began shortly before the anomalous period, not long before', () => {
    const store = new IncidentEvidenceStore({ leadMs: 5 * 60_000 });
    const logAnomaly = (template: string, minute: number): Anomaly => ({
      schemaVersion: 1,
      anomalyId: template,
      service: 'db',
      signal: { kind: 'log', templateId: template, template, pattern: 'new-template' },
      score: 4,
      onset: iso(minute),
      window: { start: iso(minute), end: iso(minute) },
      detectedAt: iso(minute),
    });
    // the first alert at minute 10: the anomalous period starts at minute 5
    store.addAnomaly(logAnomaly('old failure', 1));
    store.addAnomaly(logAnomaly('first errors of the fault', 4));
    store.addAlert(alert('frontend', 'f1', 10));
    store.observeIncident(
      incidentEvent('inc-1', ['frontend'], 10, { fingerprint: 'f1' } as Partial<IncidentEvent>),
    );
    const logs = store.caseFor('inc-1', topology, T0 + 12 * 60_000)?.logs ?? [];
    expect(logs.map((l) => l.template)).toEqual(['first errors of the fault']);
  });

  it('leaves out log anomalies from before an incident among its services was resolved', () => {
    const store = new IncidentEvidenceStore({ leadMs: 60_000 });
    const episode = (minute: number, status: 'open' | 'resolved', fingerprint = `f${minute}`) =>
      incidentEvent('inc-1', ['frontend', 'db'], minute, {
        fingerprint,
        ...(status === 'resolved' && { type: 'resolved', reason: 'resolved' }),
        incident: {
          ...incidentEvent('inc-1', ['frontend', 'db'], 0).incident,
          status,
          openedAt: iso(0),
        },
      } as Partial<IncidentEvent>);
    const errorBurst = (service: string, seconds: number): Anomaly => ({
      schemaVersion: 1,
      anomalyId: `${service}-${seconds}`,
      service,
      signal: {
        kind: 'log',
        templateId: service,
        template: `${service} errors`,
        pattern: 'error-burst',
      },
      score: 5,
      onset: at(seconds),
      window: { start: at(seconds), end: at(seconds) },
      detectedAt: at(seconds),
    });
    store.observeIncident(episode(0, 'open'));
    // the first episode is healed by restarting db: the frontend's calls fail while it restarts
    store.addAnomaly(errorBurst('frontend', 200));
    store.observeIncident(episode(4, 'resolved'));
    // a new fault on db a minute later: the incident reopens, db's own errors begin
    store.addAnomaly(errorBurst('db', 290));
    store.addAlert(alert('db', 'db-errors', 5));
    store.observeIncident(episode(5, 'open', 'db-errors'));
    const logs = store.caseFor('inc-1', topology, T0 + 6 * 60_000)?.logs ?? [];
    expect(logs.map((l) => l.service)).toEqual(['db']);
  });

  it('keeps samples in time order and bounded by the history', () => {
    const store = new IncidentEvidenceStore({
      historyMs: 10 * 60_000,
      maxPointsPerSeries: 5,
      leadMs: 0,
      retentionMs: 3_600_000,
    });
    store.addMetrics(batch('db', [3, 1, 2]));
    store.addMetrics(batch('db', [0, 4, 5, 6, 7, 8]));
    store.observeIncident(incidentEvent('inc-1', ['db'], 8));
    const series = store.caseFor('inc-1', { services: ['db'], edges: [] }, T0 + 8 * 60_000)
      ?.series[0];
    expect(series?.times).toEqual([4, 5, 6, 7, 8].map((m) => T0 + m * 60_000));
  });

  it('follows merges: evidence of the absorbed incident belongs to the survivor', () => {
    const store = new IncidentEvidenceStore();
    store.observeIncident(incidentEvent('inc-a', ['frontend'], 1));
    store.observeIncident(incidentEvent('inc-b', ['db'], 2));
    store.observeIncident({
      ...incidentEvent('inc-a', ['frontend', 'db'], 3),
      type: 'merged',
      mergedIncidentId: 'inc-b',
    } as IncidentEvent);
    expect(store.openIncidents().map((i) => i.id)).toEqual(['inc-a']);
    expect(store.incident('inc-b')?.id).toBe('inc-a');
    expect(store.incident('inc-a')?.fingerprints).toContain('inc-b-2');
  });

  it('explains a reopened incident by its new episode, not by the alerts that ended before it', () => {
    const store = new IncidentEvidenceStore({ leadMs: 60_000 });
    const attached = (fingerprint: string, minute: number, status: 'open' | 'resolved') =>
      incidentEvent('inc-1', ['frontend', 'db'], minute, {
        fingerprint,
        incident: { ...incidentEvent('inc-1', [], 0).incident, status, openedAt: iso(0) },
      } as Partial<IncidentEvent>);
    // first episode: db goes down, frontend fails with it; both resolve
    store.addAlert({ ...alert('db', 'db-down', 0), alertname: 'TargetDown' });
    store.observeIncident(attached('db-down', 0, 'open'));
    store.addAlert(alert('frontend', 'fe-errors', 1));
    store.observeIncident(attached('fe-errors', 1, 'open'));
    store.addAlert({ ...alert('db', 'db-down', 0), status: 'resolved', endsAt: iso(3) });
    store.addAlert({ ...alert('frontend', 'fe-errors', 1), status: 'resolved', endsAt: iso(4) });
    store.observeIncident({
      ...attached('fe-errors', 4, 'resolved'),
      type: 'resolved',
      reason: 'resolved',
    });
    // second episode: the frontend's alert fires again on its own
    store.addAlert(alert('frontend', 'fe-errors', 20));
    store.observeIncident(attached('fe-errors', 20, 'open'));
    const built = store.caseFor('inc-1', topology, T0 + 22 * 60_000);
    expect(built?.alerts).toEqual([
      expect.objectContaining({ fingerprint: 'fe-errors', startsAt: T0 + 20 * 60_000 }),
    ]);
    expect(built?.anomalyStart).toBe(T0 + 19 * 60_000);
  });

  it('tells when new evidence arrived for a set of services', () => {
    const store = new IncidentEvidenceStore();
    const before = store.evidenceVersion(['db']);
    store.addMetrics(batch('frontend', [1]));
    expect(store.evidenceVersion(['db'])).toBe(before);
    store.addMetrics(batch('db', [1]));
    expect(store.evidenceVersion(['db'])).toBeGreaterThan(before);
  });

  it('with maintained baselines, keeps one per series as samples arrive and hands the one before the incident to the case', () => {
    const store = new IncidentEvidenceStore({
      historyMs: 60 * 60_000,
      leadMs: 0,
      maintainedBaselines: true,
      baselineEveryMs: 60_000,
    });
    for (let m = 0; m < 30; m++) store.addMetrics(batch('db', [m, m + 0.5]));
    store.observeIncident(incidentEvent('inc-1', ['db'], 20));
    const series = store.caseFor('inc-1', { services: ['db'], edges: [] }, T0 + 30 * 60_000)
      ?.series[0];
    expect(series?.baseline?.until).toBeLessThanOrEqual(T0 + 20 * 60_000);
    expect(series?.baseline?.until).toBeGreaterThan(T0 + 18 * 60_000);
  });

  it('by default hands the points alone, so the ranker reads the normal period as it does offline', () => {
    const store = new IncidentEvidenceStore({ leadMs: 0 });
    for (let m = 0; m < 30; m++) store.addMetrics(batch('db', [m, m + 0.5]));
    store.observeIncident(incidentEvent('inc-1', ['db'], 20));
    const series = store.caseFor('inc-1', { services: ['db'], edges: [] }, T0 + 30 * 60_000)
      ?.series[0];
    expect(series?.times).toHaveLength(60);
    expect(series).not.toHaveProperty('baseline');
  });

  it('turns call records into the callee’s trace series, a bin only once it can no longer change', () => {
    const store = new IncidentEvidenceStore({ telemetryBinMs: 10_000, telemetryGraceMs: 20_000 });
    for (let s = 0; s < 10; s++) store.addCallSpan(callSpan('db', s * 10, 5 + s));
    store.observeIncident(incidentEvent('inc-1', ['frontend'], 0));
    const series = store.caseFor('inc-1', topology, T0 + 100_000)?.series ?? [];
    const requests = series.find((s) => s.metric === 'trace_request_count');
    // the latest call is at 90 s: bins ending 20 s before it are complete, later ones still open
    expect(requests).toMatchObject({
      service: 'db',
      times: [0, 1, 2, 3, 4, 5, 6].map((s) => T0 + s * 10_000),
      values: [3, 3, 3, 3, 3, 3, 3],
    });
    const p90 = series.find((s) => s.metric === 'trace_latency_p90');
    expect(p90?.values[6]).toBeCloseTo(11, 0);
    expect(series.filter((s) => s.service === 'frontend')).toEqual([]);
  });

  it('hands out the last bins of a stream that fell silent, at a pass a minute later', () => {
    const store = new IncidentEvidenceStore({ telemetryBinMs: 10_000, telemetryGraceMs: 20_000 });
    store.prune(T0);
    for (let s = 0; s < 10; s++) store.addCallSpan(callSpan('db', s * 10, 5));
    store.observeIncident(incidentEvent('inc-1', ['frontend'], 0));
    const requests = (now: number) =>
      store.caseFor('inc-1', topology, now)?.series.find((s) => s.metric === 'trace_request_count');
    expect(requests(T0)?.times).toHaveLength(7);
    // every caller went quiet: nothing more comes, and the reader's passes go on
    store.prune(T0 + 30_000);
    store.prune(T0 + 80_000);
    expect(requests(T0 + 80_000)?.times).toHaveLength(7);
    store.prune(T0 + 91_000);
    expect(requests(T0 + 91_000)?.times).toHaveLength(10);
  });

  it('reads whole traces from vigil.traces.v1: their series win over the call records’ of the same name', () => {
    const store = new IncidentEvidenceStore({
      telemetryBinMs: 10_000,
      traceBinMs: 10_000,
      telemetryGraceMs: 20_000,
    });
    // span ids are unique across traces, as tracers make them
    const traced = (trace: string, id: string, service: string, seconds: number, ms: number) =>
      ({
        schemaVersion: 1,
        traceId: trace,
        spanId: `${trace}${id}`,
        ...(id !== 'f' && { parentSpanId: `${trace}${id === 'c' ? 'f' : 'c'}` }),
        service,
        operation: id,
        time: at(seconds),
        durationMs: ms,
        status: 'ok',
      }) satisfies TraceSpan;
    // one request a second: frontend (entry f, client span c) calls db (entry d); the link
    // waits 30 ms from 60 s on; the same calls also come as aggregated call records
    for (let s = 0; s < 120; s++) {
      const wait = s >= 60 ? 30 : 1;
      store.addTraceSpan(traced(`t${s}`, 'f', 'frontend', s, 10 + wait));
      store.addTraceSpan(traced(`t${s}`, 'c', 'frontend', s, 5 + wait));
      store.addTraceSpan(traced(`t${s}`, 'd', 'db', s, 5));
      if (s % 10 === 0) store.addCallSpan(callSpan('db', s, 5 + wait));
    }
    store.observeIncident(incidentEvent('inc-1', ['frontend'], 1));
    const series = store.caseFor('inc-1', topology, T0 + 120_000)?.series ?? [];
    const named = (service: string, metric: string) =>
      series.filter((s) => s.service === service && s.metric === metric);

    expect(named('frontend', linkWaitMetric('db'))[0]?.values.at(-1)).toBeCloseTo(30);
    // one series per name: db's requests are its entry spans (10 a bin), not 3 per call record
    expect(named('db', 'trace_request_count')).toHaveLength(1);
    expect(new Set(named('db', 'trace_request_count')[0]?.values)).toEqual(new Set([10]));
    expect(named('frontend', 'trace_request_count')[0]?.values[0]).toBe(10);
  });

  it('goes back to the call records when traces stop coming for a service', () => {
    const store = new IncidentEvidenceStore({ telemetryBinMs: 10_000, telemetryGraceMs: 20_000 });
    const traced = (s: number): TraceSpan => ({
      schemaVersion: 1,
      traceId: `t${s}`,
      spanId: `t${s}d`,
      service: 'db',
      operation: 'q',
      time: at(s),
      durationMs: 5,
      status: 'ok',
    });
    // traces for the first minute, call records for five
    for (let s = 0; s < 300; s++) {
      if (s < 60) store.addTraceSpan(traced(s));
      if (s % 10 === 0) store.addCallSpan(callSpan('db', s, 5));
    }
    store.observeIncident(incidentEvent('inc-1', ['frontend'], 1));
    const requests = store
      .caseFor('inc-1', topology, T0 + 300_000)
      ?.series.filter((s) => s.service === 'db' && s.metric === 'trace_request_count');
    expect(requests).toHaveLength(1);
    // 3 a bin: the call records' count, up to the bins they closed
    expect(requests?.[0]?.values.at(-1)).toBe(3);
    expect(requests?.[0]?.times.at(-1)).toBe(T0 + 260_000);
  });

  it('turns away records from a clock far ahead, and counts them, without closing the bins of the rest', () => {
    const store = new IncidentEvidenceStore({
      telemetryBinMs: 10_000,
      traceBinMs: 10_000,
      telemetryGraceMs: 20_000,
    });
    store.prune(T0);
    const span = (seconds: number): TraceSpan => ({
      schemaVersion: 1,
      traceId: `t${seconds}`,
      spanId: 'd',
      service: 'db',
      operation: 'q',
      time: at(seconds),
      durationMs: 5,
      status: 'ok',
    });
    // one producer's clock is half an hour ahead: its records come before the rest
    store.addCallSpan(callSpan('db', 1_800, 5));
    store.addTraceSpan(span(1_800));
    store.addLogRecord(logRecord('db', 1_800, 'error'));
    for (let s = 0; s < 60; s++) {
      store.addCallSpan(callSpan('db', s, 5));
      store.addTraceSpan(span(s));
    }
    expect(store.dropped()).toEqual({
      callRecords: 1,
      logLines: 1,
      logBehaviour: 1,
      traceSpans: 1,
    });
    // the streams' time is the minute's, not the far clock's; no log line was kept
    expect(store.streamTimes()).toEqual({
      callRecords: T0 + 59_000,
      logLines: -Infinity,
      logBehaviour: -Infinity,
      traceSpans: T0 + 59_005,
    });
    store.observeIncident(incidentEvent('inc-1', ['frontend'], 1));
    const requests = store
      .caseFor('inc-1', topology, T0 + 60_000)
      ?.series.find((s) => s.service === 'db' && s.metric === 'trace_request_count');
    // the minute's spans, in the bins that closed: 10 a bin, none from half an hour on
    expect(requests?.times).toEqual([0, 1, 2].map((b) => T0 + b * 10_000));
    expect(requests?.values).toEqual([10, 10, 10]);
  });

  it('counts log lines per service and bin, errors apart (not warnings), a quiet bin between as zero', () => {
    const store = new IncidentEvidenceStore({ telemetryBinMs: 10_000, telemetryGraceMs: 20_000 });
    for (const [seconds, level] of [
      [0, 'info'],
      [5, 'error'],
      [31, 'warn'],
      [32, 'fatal'],
      [100, 'info'],
    ] as const)
      store.addLogRecord(logRecord('db', seconds, level));
    store.observeIncident(incidentEvent('inc-1', ['db'], 0));
    const series = store.caseFor('inc-1', topology, T0 + 100_000)?.series ?? [];
    const times = [0, 1, 2, 3].map((s) => T0 + s * 10_000);
    expect(series.find((s) => s.metric === 'log_lines')).toMatchObject({
      times,
      values: [2, 0, 0, 2],
    });
    expect(series.find((s) => s.metric === 'log_error_lines')).toMatchObject({
      times,
      values: [1, 0, 0, 1],
    });
  });

  it('follows each service’s request paths from log lines with trace and span ids, as the offline readers do', () => {
    // a db request every 2 s writes "query", "rows", "done"; from minute 12 half of them throw
    // before "done" and write "retry" instead
    const records: LogRecord[] = [];
    for (let seconds = 0; seconds < 900; seconds += 2) {
      const ids = { trace_id: `t${seconds}`, span_id: `s${seconds}` };
      const thrown = seconds >= 720 && seconds % 4 === 0;
      ['query users', 'rows 3', thrown ? 'retry after error' : 'done in 2 ms'].forEach((body, k) =>
        records.push({
          schemaVersion: 1,
          service: 'db',
          level: 'info',
          body,
          attributes: ids,
          time: new Date(T0 + seconds * 1000 + k).toISOString(),
        }),
      );
    }
    const store = new IncidentEvidenceStore({ telemetryBinMs: 10_000, telemetryGraceMs: 20_000 });
    for (const record of records) store.addLogRecord(record);
    store.observeIncident(incidentEvent('inc-1', ['db'], 12));
    const live = store.caseFor('inc-1', topology, T0 + 900_000)?.series ?? [];
    const novelty = live.find((s) => s.metric === 'log_path_novelty');
    expect(novelty?.windowMs).toBe(60_000);
    const after = (novelty?.values ?? []).filter(
      (_, i) => (novelty?.times[i] ?? 0) >= T0 + 720_000,
    );
    expect(Math.max(...after)).toBeGreaterThan(0.3);
    // every closed bin gives the point the offline reader gives for the same lines
    const lines = records.map((r) => ({
      service: r.service,
      level: r.level,
      body: r.body,
      time: Date.parse(r.time),
      traceId: String(r.attributes.trace_id),
      spanId: String(r.attributes.span_id),
    }));
    const offline = logBehaviourSeries(lines).find((s) => s.metric === 'log_path_novelty');
    const n = novelty?.times.length ?? 0;
    expect(n).toBeGreaterThan(50);
    expect(novelty?.values).toEqual(offline?.values.slice(0, n));
    // and each span's lines as step sequences, counted as the offline reader counts them
    const steps = store.caseFor('inc-1', topology, T0 + 900_000)?.transitions ?? [];
    const lastBin = Math.max(...steps.map((t) => t.at));
    expect(lastBin).toBeGreaterThan(T0 + 800_000);
    const key = (t: StepTransitionCount) => `${t.at} ${t.from} > ${t.to} ${t.count}`;
    expect(steps.map(key).sort()).toEqual(
      lineStepTransitions(lines)
        .filter((t) => t.at <= lastBin)
        .map(key)
        .sort(),
    );
  });
});
