import { parseFaultList } from './nezha-labels';

describe('parseFaultList', () => {
  it('reads inject_time as UTC and the root service as the pod’s workload, in time order', () => {
    const json = JSON.stringify({
      '04': [
        {
          inject_time: '2022-08-22 04:02:07',
          inject_timestamp: '1661140927',
          inject_pod: 'frontend-579b9bff58-t2dbm',
          inject_type: 'return',
        },
      ],
      '03': [
        {
          inject_time: '2022-08-22 03:53:54',
          inject_timestamp: '1661140434',
          inject_pod: 'cartservice-579f59597d-wc2lz',
          inject_type: 'cpu_contention',
        },
      ],
    });
    expect(parseFaultList(json, 'fault_list.json')).toEqual({
      faults: [
        {
          at: 1661140434_000,
          rootService: 'cartservice',
          rootInstance: 'cartservice-579f59597d-wc2lz',
          faultType: 'cpu_contention',
        },
        {
          at: 1661140927_000,
          rootService: 'frontend',
          rootInstance: 'frontend-579b9bff58-t2dbm',
          faultType: 'return',
        },
      ],
      unreadable: [],
    });
  });

  it('lists entries it cannot read, with where they are, and keeps the others', () => {
    const json = JSON.stringify({
      '05': [
        {
          inject_time: '2022-08-22 05:10:00',
          inject_pod: 'redis-cart',
          inject_type: 'network_delay',
        },
        { inject_time: '2022-08-22 05:20:00', inject_type: 'exception' },
        {
          inject_time: 'later',
          inject_pod: 'cartservice-579f59597d-wc2lz',
          inject_type: 'exception',
        },
        null,
      ],
      '06': 'none',
    });
    const { faults, unreadable } = parseFaultList(json, 'list.json');
    expect(faults).toEqual([
      {
        at: Date.UTC(2022, 7, 22, 5, 10),
        rootService: 'redis-cart',
        rootInstance: 'redis-cart',
        faultType: 'network_delay',
      },
    ]);
    expect(unreadable).toEqual([
      'list.json [05][1]: needs inject_time, inject_pod and inject_type',
      'list.json [05][2]: needs inject_time, inject_pod and inject_type',
      'list.json [05][3]: needs inject_time, inject_pod and inject_type',
      'list.json [06]: not a list',
    ]);
  });

  it('throws naming the file when it is not JSON, or not an object of hours', () => {
    expect(() => parseFaultList('{"03": [', 'rca_data/2022-08-22/fault_list.json')).toThrow(
      'rca_data/2022-08-22/fault_list.json: not JSON',
    );
    expect(() => parseFaultList('null', 'list.json')).toThrow('list.json: not an object of hours');
  });
});
