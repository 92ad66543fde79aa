import {
  parseRcaEvalCase,
  parseRcaEvalLabel,
  parseRcaEvalSeries,
  splitRcaEvalColumn,
} from './rcaeval-case';

const CSV = [
  'time,cartservice_cpu,cartservice_latency-50,front-end_lat_90,redis-cart_mem',
  '1692569300,0.1,12.5,100,2000',
  '1692569301,0.2,,110,2001',
  '1692569302,0.3,13.0,NaN,2002',
].join('\n');

describe('parseRcaEvalCase', () => {
  it('reads <service>_<metric> columns, epoch seconds and skips empty cells', () => {
    const c = parseRcaEvalCase(CSV, '1692569301\n');
    expect(c.anomalyStart).toBe(1692569301_000);
    expect(c.topology.services).toEqual(['cartservice', 'front-end', 'redis-cart']);
    const latency = c.series.find((s) => s.metric === 'latency-50');
    expect(latency).toEqual({
      service: 'cartservice',
      metric: 'latency-50',
      times: [1692569300_000, 1692569302_000],
      values: [12.5, 13],
    });
    expect(c.series.find((s) => s.service === 'front-end')?.metric).toBe('lat_90');
  });

  it('uses a given topology to split service names that contain underscores', () => {
    const topology = { services: ['cart_svc'], edges: [] };
    const c = parseRcaEvalCase('time,cart_svc_cpu\n1,2\n', '1', { topology });
    expect(c.series[0]).toMatchObject({ service: 'cart_svc', metric: 'cpu', times: [1000] });
    expect(c.topology).toBe(topology);
  });

  it('rejects a file without a time column', () => {
    expect(() => parseRcaEvalCase('a_cpu\n1\n', '1')).toThrow(/time/);
  });
});

describe('parseRcaEvalSeries on what real exports hold', () => {
  it('leaves out text columns, trailing commas and rows without a time, as pandas writes them', () => {
    const csv = [
      'time,cart_cpu,cart_status,', // a trailing comma: an unnamed empty column
      '100,0.1,True,',
      ',0.2,True,', // NaT
      '101,0.3,False,',
    ].join('\r\n');
    const { series, skipped } = parseRcaEvalSeries(csv, { file: 'data.csv' });
    expect(skipped).toBe(0);
    expect(series).toEqual([
      { service: 'cart', metric: 'cpu', times: [100_000, 101_000], values: [0.1, 0.3] },
    ]);
  });

  it('takes the time from an epoch timestamp column when the time column is no time', () => {
    const csv = [
      'time,timestamp,cart_cpu',
      '2022-08-22 03:51:06.527 +0000 UTC m=+0.527,1661140266,0.5',
    ].join('\n');
    expect(parseRcaEvalSeries(csv).series[0].times).toEqual([1661140266_000]);
  });
});

describe('parseRcaEvalSeries with malformed rows', () => {
  const file = 'metrics/run-7.csv';
  const bad = [
    'time,cart_cpu,cart_latency',
    '100,0.1,5',
    '101,abc,5', // line 3: not a number
    'soon,0.2,5', // line 4: not a time
    '102,0.3', // line 5: a cell short
    '103,inf,null', // missing points, not malformed
    '104,0.4,6',
  ].join('\n');

  it('names the file and line of the first malformed row', () => {
    expect(() => parseRcaEvalSeries(bad, { file })).toThrow(
      'metrics/run-7.csv:3: cart_cpu: "abc" is not a number',
    );
    expect(() => parseRcaEvalSeries('time,a_cpu\nsoon,1\n', { file })).toThrow(
      `${file}:2: time "soon" is not a time`,
    );
    expect(() => parseRcaEvalSeries('time,a_cpu\n1,2,3\n', { file })).toThrow(
      `${file}:2: 3 cells where the header has 2`,
    );
  });

  it('skips and counts malformed rows under lenient, keeping missing points as gaps', () => {
    const { series, skipped } = parseRcaEvalSeries(bad, { file, lenient: true });
    expect(skipped).toBe(3);
    expect(series.find((s) => s.metric === 'cpu')).toMatchObject({
      times: [100_000, 104_000],
      values: [0.1, 0.4],
    });
    expect(series.find((s) => s.metric === 'latency')?.values).toEqual([5, 6]);
  });

  it('skips a row whose quote is never closed under lenient, instead of stopping before', () => {
    const text = 'time,a_cpu\n1,2\n2,"3\n3,4\n';
    expect(() => parseRcaEvalSeries(text, { file })).toThrow(
      `${file}:3: a quoted field is not closed by the end of the file`,
    );
    const { series, skipped } = parseRcaEvalSeries(text, { file, lenient: true });
    expect(skipped).toBe(1);
    expect(series[0].times).toEqual([1000, 3000]);
  });

  it('says what is missing from a file that cannot be a case', () => {
    expect(() => parseRcaEvalSeries('', { file })).toThrow(`${file}:1: no header row`);
    expect(() => parseRcaEvalSeries('time,latency,cpu\n1,2,3\n', { file })).toThrow(
      `${file}:1: no \`<service>_<metric>\` column of numbers`,
    );
    expect(() => parseRcaEvalSeries('time,a_cpu\n', { file })).toThrow(`${file} has no data rows`);
  });
});

describe('splitRcaEvalColumn', () => {
  it('splits at the first underscore without known services', () => {
    expect(splitRcaEvalColumn('carts_lat_90')).toEqual({ service: 'carts', metric: 'lat_90' });
    expect(splitRcaEvalColumn('nounderscore')).toBeUndefined();
  });
});

describe('parseRcaEvalLabel', () => {
  it('takes root and fault from the case folder', () => {
    expect(parseRcaEvalLabel('data/online-boutique/cartservice_cpu/1/data.csv')).toEqual({
      rootService: 'cartservice',
      faultType: 'cpu',
      run: '1',
    });
    expect(parseRcaEvalLabel('sock-shop/front-end_bad-deploy/3')).toMatchObject({
      rootService: 'front-end',
      faultType: 'bad-deploy',
    });
  });

  it('reads only the case folder, or its parent when the case folder is a run number', () => {
    expect(parseRcaEvalLabel('cases/orders_cpu')).toMatchObject({
      rootService: 'orders',
      faultType: 'cpu',
    });
    // a folder above the case is where the data was put, not which fault it holds
    expect(parseRcaEvalLabel('/tmp/my_data/cases/sys/weird/1')).toBeUndefined();
    expect(parseRcaEvalLabel('/tmp/my_data/cases/sys/weird/1/data.csv')).toBeUndefined();
    expect(parseRcaEvalLabel('orders_cpu/1/extra')).toBeUndefined();
    expect(parseRcaEvalLabel('')).toBeUndefined();
    expect(parseRcaEvalLabel('1')).toBeUndefined();
  });
});
