/**
 * Reading Prometheus's `/api/v1/query_range` answer: the JSON envelope
 * `{ status, data: { resultType: 'matrix', result: [{ metric, values: [[unixSeconds, "value"]] }] } }`
 * or `{ status: 'error', errorType, error }`. Sample values are strings; "NaN", "+Inf" and "-Inf"
 * are points RCA cannot score and are left out. Native histograms (`histograms`) are not read.
 */

/** One series of a range query, times in epoch ms, ascending. */
export interface RangeSeries {
  labels: Record<string, string>;
  times: number[];
  values: number[];
}

export interface RangeResult {
  series: RangeSeries[];
  /** Prometheus's warnings (data still came), e.g. a query that hit a limit. */
  warnings: string[];
}

/** Prometheus answered, but not with data: the error it gave, or a shape this reader does not know. */
export class PrometheusQueryError extends Error {
  constructor(
    message: string,
    readonly errorType?: string,
  ) {
    super(message);
    this.name = 'PrometheusQueryError';
  }
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

export function parseQueryRangeResponse(body: unknown): RangeResult {
  if (!isRecord(body)) throw new PrometheusQueryError('the answer is not a JSON object');
  if (body.status === 'error') {
    const errorType = typeof body.errorType === 'string' ? body.errorType : undefined;
    const error = typeof body.error === 'string' ? body.error : 'no message';
    throw new PrometheusQueryError(`${errorType ?? 'error'}: ${error}`, errorType);
  }
  if (body.status !== 'success') throw new PrometheusQueryError('the answer has no status');
  const data = body.data;
  if (!isRecord(data) || !Array.isArray(data.result))
    throw new PrometheusQueryError('the answer has no data.result');
  if (data.resultType !== 'matrix')
    throw new PrometheusQueryError(
      `a range query answers a matrix, got ${String(data.resultType)}`,
    );
  return {
    series: data.result.map(readSeries),
    warnings: Array.isArray(body.warnings) ? body.warnings.map(String) : [],
  };
}

function readSeries(item: unknown, index: number): RangeSeries {
  if (!isRecord(item) || !isRecord(item.metric))
    throw new PrometheusQueryError(`result ${index} has no metric labels`);
  const labels: Record<string, string> = {};
  for (const [name, value] of Object.entries(item.metric)) labels[name] = String(value);
  const times: number[] = [];
  const values: number[] = [];
  const samples = Array.isArray(item.values) ? item.values : [];
  for (const sample of samples) {
    if (!Array.isArray(sample) || sample.length !== 2)
      throw new PrometheusQueryError(`result ${index} has a sample that is not [time, "value"]`);
    const time = Number(sample[0]) * 1000;
    if (!Number.isFinite(time) || typeof sample[1] !== 'string')
      throw new PrometheusQueryError(`result ${index} has a sample that is not [time, "value"]`);
    const value = Number(sample[1]);
    // Number("NaN") and Number("+Inf") are not finite: such a step carries no level to compare
    if (!Number.isFinite(value)) continue;
    times.push(Math.round(time));
    values.push(value);
  }
  return { labels, times, values };
}
