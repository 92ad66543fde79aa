import { parseQueryRangeResponse, PrometheusQueryError } from './query-range-response';

// Shapes as Prometheus's HTTP API documents them (/api/v1/query_range, resultType "matrix").
const matrix = {
  status: 'success',
  data: {
    resultType: 'matrix',
    result: [
      {
        metric: { __name__: 'up', job: 'prometheus', instance: 'localhost:9090' },
        values: [
          [1435781430.781, '1'],
          [1435781445.781, '1'],
          [1435781460.781, '1'],
        ],
      },
      {
        metric: { service: 'checkout' },
        values: [
          [1435781430, '0.5'],
          [1435781445, 'NaN'],
          [1435781460, '+Inf'],
          [1435781475, '0.25'],
        ],
      },
    ],
  },
};

describe('a query_range answer', () => {
  it('gives each series its labels, times in epoch ms and numeric values', () => {
    const { series, warnings } = parseQueryRangeResponse(matrix);
    expect(series[0]).toEqual({
      labels: { __name__: 'up', job: 'prometheus', instance: 'localhost:9090' },
      times: [1435781430781, 1435781445781, 1435781460781],
      values: [1, 1, 1],
    });
    expect(warnings).toEqual([]);
  });

  it('leaves out NaN and infinite samples, which have no level to compare', () => {
    const { series } = parseQueryRangeResponse(matrix);
    expect(series[1]).toEqual({
      labels: { service: 'checkout' },
      times: [1435781430000, 1435781475000],
      values: [0.5, 0.25],
    });
  });

  it("keeps Prometheus's warnings", () => {
    const answer = { ...matrix, warnings: ['PromQL info: metric might not be a counter'] };
    expect(parseQueryRangeResponse(answer).warnings).toEqual([
      'PromQL info: metric might not be a counter',
    ]);
  });

  it("turns an error answer into an error carrying Prometheus's type and message", () => {
    const answer = {
      status: 'error',
      errorType: 'bad_data',
      error: 'invalid parameter "query": 1:5: parse error: unexpected end of input',
    };
    expect(() => parseQueryRangeResponse(answer)).toThrow(
      new PrometheusQueryError(
        'bad_data: invalid parameter "query": 1:5: parse error: unexpected end of input',
      ),
    );
  });

  it('refuses what is not a matrix or not the envelope', () => {
    const vector = { status: 'success', data: { resultType: 'vector', result: [] } };
    expect(() => parseQueryRangeResponse(vector)).toThrow('a range query answers a matrix');
    expect(() => parseQueryRangeResponse('<html>')).toThrow('not a JSON object');
    expect(() => parseQueryRangeResponse({ status: 'success' })).toThrow('no data.result');
    const badSample = {
      status: 'success',
      data: { resultType: 'matrix', result: [{ metric: {}, values: [[1, 2]] }] },
    };
    expect(() => parseQueryRangeResponse(badSample)).toThrow('not [time, "value"]');
  });
});
