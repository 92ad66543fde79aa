import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  inputFiles,
  isEntityMetricsCsv,
  readLogEvidence,
  readMetrics,
  readTraceEvidence,
  SkippedRows,
} from './rca-telemetry-input';

describe('vigil rca: reading telemetry files', () => {
  let dir: string;
  const write = (name: string, text: string) => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  };

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'vigil-rca-telemetry-'));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
    jest.restoreAllMocks();
  });

  describe('inputFiles', () => {
    it('reads the .csv and .jsonl files of a folder and its subfolders, in name order', () => {
      write('b_trace.csv', 'x');
      write('a_spans.jsonl', 'x');
      write('notes.txt', 'x');
      mkdirSync(join(dir, 'c'));
      write('c/more.csv', 'x');
      write('README.md', 'x');
      expect(inputFiles(dir)).toEqual([
        join(dir, 'a_spans.jsonl'),
        join(dir, 'b_trace.csv'),
        join(dir, 'c', 'more.csv'),
      ]);
    });

    it('says so when a folder holds nothing to read', () => {
      write('notes.txt', 'x');
      expect(() => inputFiles(dir)).toThrow(`${dir} holds no .csv or .jsonl file`);
    });

    it('takes a file as it is, whatever its name, and names a path that does not exist', () => {
      const file = write('spans.txt', 'x');
      expect(inputFiles(file)).toEqual([file]);
      expect(() => inputFiles(join(dir, 'missing'))).toThrow(
        `${join(dir, 'missing')} does not exist`,
      );
    });
  });

  describe('isEntityMetricsCsv', () => {
    it('tells rows per pod or service from RCAEval columns per service and metric', () => {
      const perPod = write('pod_metric.csv', 'Time,TimeStamp,PodName,CpuUsageRate(%)\n');
      const perService = write('front_service.csv', 'TimeStamp,ServiceName,LatencyP90(s)\n');
      const quoted = write('quoted.csv', '"timestamp","service","cpu"\n');
      const rcaEval = write('data.csv', 'time,cartservice_cpu,frontend_latency-50\n1,2,3\n');
      expect([perPod, perService, quoted].map(isEntityMetricsCsv)).toEqual([true, true, true]);
      expect(isEntityMetricsCsv(rcaEval)).toBe(false);
    });
  });

  describe('SkippedRows', () => {
    it('says nothing when no row was skipped, else how many of each kind', () => {
      const skipped = new SkippedRows();
      skipped.add('span rows', { skipped: 0 });
      expect(skipped.summary()).toBeUndefined();
      skipped.add('span rows', { skipped: 2 });
      skipped.add('log rows', { skipped: 1 });
      skipped.add('span rows', { skipped: 3 });
      expect(skipped.summary()).toBe('skipped malformed rows (--lenient): 5 span rows, 1 log rows');
    });
  });

  describe('reading evidence', () => {
    it('reads spans from CSV and JSONL files of a folder into series and calls', () => {
      mkdirSync(join(dir, 'trace'));
      write(
        'trace/08_50_trace.csv',
        [
          'TraceID,SpanID,ParentID,PodName,OperationName,StartTimeUnixNano,EndTimeUnixNano,Duration',
          't1,f1,root,frontend-579b9bff58-t2dbm,Recv,1661151797562000000,1661151797582000000,20000',
          't1,f2,f1,frontend-579b9bff58-t2dbm,GetCart,1661151797563000000,1661151797573000000,10000',
          't1,bad,f1,frontend-579b9bff58-t2dbm,GetCart,never,1661151797573000000,10000',
        ].join('\n'),
      );
      write(
        'trace/09_spans.jsonl',
        `${JSON.stringify({ traceId: 't1', spanId: 'c1', parentId: 'f2', service: 'cart', start: 1661151797564, durationMs: 8 })}\n`,
      );
      const skipped = new SkippedRows();
      expect(() => readTraceEvidence(join(dir, 'trace'), false, skipped)).toThrow(
        `${join(dir, 'trace', '08_50_trace.csv')}:4: start/end are not times in ns`,
      );
      const evidence = readTraceEvidence(join(dir, 'trace'), true, skipped);
      expect(evidence.edges).toEqual([{ from: 'frontend', to: 'cart', type: 'CALLS' }]);
      expect(evidence.series.filter((s) => s.metric === 'trace_request_count')).toEqual([
        expect.objectContaining({ service: 'frontend', values: [1] }),
        expect.objectContaining({ service: 'cart', values: [1] }),
      ]);
      expect(skipped.summary()).toBe('skipped malformed rows (--lenient): 1 span rows');
    });

    it('reads per-pod metric files as one series per workload and metric', () => {
      mkdirSync(join(dir, 'metric'));
      write(
        'metric/a_metric.csv',
        'TimeStamp,PodName,CpuUsageRate(%)\n1674981670,cart-579f59597d-wc2lz,10\n',
      );
      write(
        'metric/b_metric.csv',
        'TimeStamp,PodName,CpuUsageRate(%)\n1674981670,ads-5d6b8f9c7-x7k2p,3\n',
      );
      const series = readMetrics(join(dir, 'metric'), {
        lenient: false,
        skipped: new SkippedRows(),
      });
      expect(series.map((s) => `${s.service}/${s.metric}=${s.values.join()}`)).toEqual([
        'cart/cpu_usage_rate=10',
        'ads/cpu_usage_rate=3',
      ]);
    });

    it('reads log CSVs and reports a template first seen after the anomaly start', () => {
      const t0 = Date.UTC(2023, 0, 29, 8, 0);
      const iso = (ms: number) => new Date(ms).toISOString();
      const pod = 'cartservice-579f59597d-wc2lz';
      const rows = Array.from(
        { length: 12 },
        (_, i) => `${iso(t0 + i * 10_000)},${pod},GET /cart ${i} ok`,
      );
      rows.push(`${iso(t0 + 130_000)},${pod},ERROR redis connection refused`);
      const file = write('log.csv', ['Timestamp,PodName,Log', ...rows].join('\n'));
      const { evidence, series } = readLogEvidence(file, t0 + 120_000, false, new SkippedRows());
      expect(series.map((s) => s.metric).sort()).toEqual(['log_error_lines', 'log_lines']);
      expect(evidence).toEqual([
        expect.objectContaining({
          service: 'cartservice',
          pattern: 'new-template',
          onset: t0 + 130_000,
        }),
      ]);
    });
  });

  describe('the same evidence whatever the format of the logs', () => {
    it('reads the log contract as JSONL exactly as the same lines as CSV, each evidence once', () => {
      const t0 = Date.UTC(2026, 0, 1);
      const lines = Array.from({ length: 90 }, (_, i) => ({
        time: t0 + i * 10_000,
        level: i >= 60 ? 'error' : 'info',
        body: i >= 60 ? `failed to place order ${i}: timeout` : `handled request ${i} in 12 ms`,
      }));
      const jsonl = write(
        'logs.jsonl',
        lines
          .map((l) =>
            JSON.stringify({
              schemaVersion: 1,
              service: 'orders',
              level: l.level,
              body: l.body,
              attributes: {},
              time: new Date(l.time).toISOString(),
            }),
          )
          .join('\n'),
      );
      const csv = write(
        'logs.csv',
        [
          'time,service,level,body',
          ...lines.map((l) => `${new Date(l.time).toISOString()},orders,${l.level},${l.body}`),
        ].join('\n'),
      );
      const from = t0 + 600_000;
      const fromJsonl = readLogEvidence(jsonl, from, false, new SkippedRows());
      expect(fromJsonl).toEqual(readLogEvidence(csv, from, false, new SkippedRows()));
      const keys = fromJsonl.evidence.map((e) => `${e.templateId}/${e.pattern}`);
      expect(keys.length).toBeGreaterThan(0);
      expect(new Set(keys).size).toBe(keys.length);
      expect(fromJsonl.series.map((s) => s.metric)).toContain('log_template_shift');
    });
  });

  describe('a folder holding a CSV of another kind', () => {
    const spans = [
      'TraceID,SpanID,ParentID,PodName,OperationName,StartTimeUnixNano,EndTimeUnixNano',
      't1,f1,root,frontend-579b9bff58-t2dbm,Recv,1661151797562000000,1661151797582000000',
    ].join('\n');

    it('passes over, and names, a CSV that holds no spans, as --metrics does', () => {
      const stderr = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
      write('a.csv', spans);
      const pods = write('pods.csv', 'pod,node\nx,y\n');
      const evidence = readTraceEvidence(dir, false, new SkippedRows());
      expect(evidence.series.length).toBeGreaterThan(0);
      expect(stderr).toHaveBeenCalledWith(
        `not spans, passed over: ${pods}:1: no traceId column (traceid)\n`,
      );
      // given alone, it is an error
      expect(() => readTraceEvidence(pods, false, new SkippedRows())).toThrow(
        `${pods}:1: no traceId column (traceid)`,
      );
    });

    it('passes over a CSV with a pod column that is no metrics table, in a metrics folder', () => {
      const stderr = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
      const trace = write('trace.csv', spans);
      write('cart_metric.csv', 'TimeStamp,PodName,Cpu\n1674981670,cart,10\n');
      const series = readMetrics(dir, { lenient: false, skipped: new SkippedRows() });
      expect(series.map((s) => s.service)).toEqual(['cart']);
      expect(stderr).toHaveBeenCalledWith(
        `not metrics, passed over: ${trace}:1: no time column (TimeStamp)\n`,
      );
    });

    it('does not pass over a malformed row of a file of the right kind', () => {
      write('a.csv', `${spans}\nt1,f2,f1,frontend,op,1661151797562000000\n`);
      expect(() => readTraceEvidence(dir, false, new SkippedRows())).toThrow(
        `${join(dir, 'a.csv')}:3: 6 cells where the header has 7`,
      );
    });

    it('does not pass over a file whose header cannot be split: it is malformed, not of a kind', () => {
      write('a.csv', spans);
      const broken = write('b.csv', 'TraceID,"SpanID\nt1,f1\n');
      expect(() => readTraceEvidence(dir, false, new SkippedRows())).toThrow(
        `${broken}:1: a quoted field is not closed by the end of the file`,
      );
    });
  });
});
