import { classifyFault } from './fault-class';
import type { RankedRootCause } from './rca-case';

const cause = (
  alerts: string[],
  metrics: Array<{ metric: string; direction: 'up' | 'down' }> = [],
): RankedRootCause =>
  ({
    service: 'catalog',
    evidence: {
      metrics: metrics.map((m) => ({ ...m, score: 20, onset: 0 })),
      logs: [],
      alerts: alerts.map((alertname) => ({ alertname, service: 'catalog', startsAt: 0 })),
    },
  }) as unknown as RankedRootCause;

describe('fault class from the alerts alone, when metrics and logs have not shown it yet', () => {
  it('reads what the alerts are about', () => {
    expect(classifyFault(cause(['HighLatencyP99']))).toBe('latency');
    expect(classifyFault(cause(['HighErrorRatio']))).toBe('errors');
    expect(classifyFault(cause(['CpuSaturated']))).toBe('cpu-saturation');
    expect(classifyFault(cause(['MemoryGrowing']))).toBe('memory-leak');
    expect(classifyFault(cause(['TargetDown']))).toBe('crash');
    expect(classifyFault(cause(['SomethingOdd']))).toBe('unknown');
  });

  it('lets the metrics decide when they have moved', () => {
    expect(
      classifyFault(cause(['HighLatencyP99'], [{ metric: 'http_error_ratio', direction: 'up' }])),
    ).toBe('errors');
  });
});
