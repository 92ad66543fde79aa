import { metricColumnName, parseEntityMetricsCsv } from './entity-metrics';

describe('metricColumnName', () => {
  it('turns export column names into snake_case series names without units', () => {
    expect(metricColumnName('CpuUsageRate(%)')).toBe('cpu_usage_rate');
    expect(metricColumnName('PodClientLatencyP90(s)')).toBe('pod_client_latency_p90');
    expect(metricColumnName('NetworkP90(ms)')).toBe('network_p90');
    expect(metricColumnName('SyscallRead')).toBe('syscall_read');
    expect(metricColumnName('memory usage')).toBe('memory_usage');
  });
});

describe('parseEntityMetricsCsv', () => {
  const header = 'Time,TimeStamp,PodName,CpuUsageRate(%),MemoryUsage(Mi)';

  it('gives one series per workload and metric, epoch seconds as ms', () => {
    const text = [
      header,
      '2023-01-29 08:41:10 +0000 UTC,1674981670,ts-route-service-b6c59fb57-zv8dt,3.5,435',
      '2023-01-29 08:42:10 +0000 UTC,1674981730,ts-route-service-b6c59fb57-zv8dt,0.9,436',
    ].join('\n');
    const { records, skipped } = parseEntityMetricsCsv(text, { file: 'route_metric.csv' });
    expect(skipped).toBe(0);
    expect(records).toEqual([
      {
        service: 'ts-route-service',
        metric: 'cpu_usage_rate',
        times: [1674981670_000, 1674981730_000],
        values: [3.5, 0.9],
      },
      {
        service: 'ts-route-service',
        metric: 'memory_usage',
        times: [1674981670_000, 1674981730_000],
        values: [435, 436],
      },
    ]);
  });

  it('averages the pods of one workload at one time, and sorts times', () => {
    const text = [
      header,
      ',1674981730,cart-579f59597d-wc2lz,30,100',
      ',1674981670,cart-579f59597d-wc2lz,10,100',
      ',1674981670,cart-579f59597d-x7k2p,20,',
    ].join('\n');
    const cpu = parseEntityMetricsCsv(text, { file: 'm.csv' }).records.find(
      (r) => r.metric === 'cpu_usage_rate',
    );
    expect(cpu).toEqual({
      service: 'cart',
      metric: 'cpu_usage_rate',
      times: [1674981670_000, 1674981730_000],
      values: [15, 30],
    });
    const memory = parseEntityMetricsCsv(text, { file: 'm.csv' }).records.find(
      (r) => r.metric === 'memory_usage',
    );
    // an empty cell is no point, not a zero
    expect(memory?.values).toEqual([100, 100]);
  });

  it('keeps epoch ms as they are and a service column as it is', () => {
    const text = 'TimeStamp,ServiceName,LatencyP90(s)\n1674981669000,Frontend,0.48';
    expect(parseEntityMetricsCsv(text, { file: 'front_service.csv' }).records).toEqual([
      { service: 'Frontend', metric: 'latency_p90', times: [1674981669000], values: [0.48] },
    ]);
  });

  it('names file and line of a row without time or entity, or skips it when lenient', () => {
    const text = [header, ',1674981670,cart,1,2', ',,cart,1,2', ',1674981730,,1,2'].join('\n');
    expect(() => parseEntityMetricsCsv(text, { file: 'm.csv' })).toThrow(
      'm.csv:3: no time or entity in this row',
    );
    const lenient = parseEntityMetricsCsv(text, { file: 'm.csv', lenient: true });
    expect(lenient.skipped).toBe(2);
    expect(lenient.records.map((r) => r.times)).toEqual([[1674981670_000], [1674981670_000]]);
  });

  it('names file and line of a cell that is not a number or a row of other width, or skips them when lenient', () => {
    const text = [
      header,
      ',1674981670,cart,1,2',
      ',1674981730,cart,abc,2', // line 3
      ',1674981790,cart', // line 4: the metric cells left out
      ',1674981850,cart,1,2,3', // line 5: a cell too many
      ',1674981910,cart,4,5',
    ].join('\n');
    expect(() => parseEntityMetricsCsv(text, { file: 'm.csv' })).toThrow(
      'm.csv:3: CpuUsageRate(%): "abc" is not a number',
    );
    const short = [header, ',1674981790,cart'].join('\n');
    expect(() => parseEntityMetricsCsv(short, { file: 'm.csv' })).toThrow(
      'm.csv:2: 3 cells where the header has 5',
    );
    const lenient = parseEntityMetricsCsv(text, { file: 'm.csv', lenient: true });
    expect(lenient.skipped).toBe(3);
    expect(lenient.records.find((r) => r.metric === 'cpu_usage_rate')?.values).toEqual([1, 4]);
  });

  it('takes empty, NaN and null cells as missing points, and a column of text as no metric', () => {
    const text = [
      'TimeStamp,PodName,Node,PodServerLatencyP90(s)',
      '1674981670,cart,node-1,0.5',
      '1674981730,cart,node-1,NaN',
      '1674981790,cart,node-2,',
      '1674981850,cart,node-2,null',
    ].join('\n');
    const { records, skipped } = parseEntityMetricsCsv(text, { file: 'm.csv' });
    expect(skipped).toBe(0);
    expect(records).toEqual([
      {
        service: 'cart',
        metric: 'pod_server_latency_p90',
        times: [1674981670_000],
        values: [0.5],
      },
    ]);
  });

  it('names a missing time or entity column', () => {
    expect(() => parseEntityMetricsCsv('PodName,Cpu\ncart,1', { file: 'm.csv' })).toThrow(
      'm.csv:1: no time column (TimeStamp)',
    );
    expect(() => parseEntityMetricsCsv('TimeStamp,Cpu\n1,1', { file: 'm.csv' })).toThrow(
      'm.csv:1: no entity column (PodName)',
    );
  });
});
