import { classifyFault } from './fault-class';
import type { RankedRootCause } from './rca-case';

const cause = (
  alerts: string[],
  metrics: Array<{ metric: string; direction: 'up' | 'down'; score?: number }> = [],
): RankedRootCause =>
  ({
    service: 'catalog',
    evidence: {
      metrics: metrics.map((m) => ({ score: 20, ...m, onset: 0 })),
      logs: [],
      alerts: alerts.map((alertname) => ({ alertname, service: 'catalog', startsAt: 0 })),
    },
  }) as unknown as RankedRootCause;

describe('fault class from the alerts alone, when metrics and logs have not shown it yet', () => {
  it('reads what the alerts are about', () => {
    expect(classifyFault(cause(['HighLatencyP99']))).toBe('latency');
    expect(classifyFault(cause(['HighErrorRatio']))).toBe('errors');
    expect(classifyFault(cause(['CpuSaturated']))).toBe('cpu-saturation');
    expect(classifyFault(cause(['EventLoopSaturated']))).toBe('cpu-saturation');
    expect(classifyFault(cause(['MemoryGrowing']))).toBe('memory-leak');
    expect(classifyFault(cause(['TargetDown']))).toBe('crash');
    expect(classifyFault(cause(['SomethingOdd']))).toBe('unknown');
  });

  it('lets the metrics decide when they have moved', () => {
    expect(
      classifyFault(cause(['HighLatencyP99'], [{ metric: 'http_error_ratio', direction: 'up' }])),
    ).toBe('errors');
  });

  it('calls more requests than usual, with the service failing or slow under them, an overload', () => {
    const spike = { metric: 'http_requests_per_second', direction: 'up' } as const;
    const busy = { metric: 'process_cpu_ratio', direction: 'up' } as const;
    expect(
      classifyFault(cause([], [spike, busy, { metric: 'http_error_ratio', direction: 'up' }])),
    ).toBe('overload');
    // more requests served well are no fault; a hot loop without more requests is the CPU's
    expect(classifyFault(cause(['CpuSaturated'], [spike]))).toBe('cpu-saturation');
    expect(classifyFault(cause([], [busy]))).toBe('cpu-saturation');
    // a Node.js service's event loop running late: its CPU, even where the host gave it less
    const late = { metric: 'nodejs_eventloop_lag_mean_seconds', direction: 'up' } as const;
    expect(classifyFault(cause(['HighLatencyP99'], [late]))).toBe('cpu-saturation');
  });

  it('tells a CPU hog in a young process from a leak by which rose more', () => {
    // seen in bench:loop: a hog in a process started 4 minutes before, still growing its memory
    const hog = [
      { metric: 'nodejs_eventloop_lag_mean_seconds', direction: 'up', score: 78 },
      { metric: 'process_cpu_ratio', direction: 'up', score: 25 },
      { metric: 'process_resident_memory_bytes', direction: 'up', score: 14 },
    ] as const;
    expect(classifyFault(cause(['EventLoopSaturated'], [...hog]))).toBe('cpu-saturation');
    const leak = [
      { metric: 'process_resident_memory_bytes', direction: 'up', score: 60 },
      { metric: 'process_cpu_ratio', direction: 'up', score: 8 },
    ] as const;
    expect(classifyFault(cause(['MemoryGrowing'], [...leak]))).toBe('memory-leak');
  });

  it('does not name a fault by a resource that moved at noise level', () => {
    // seen in bench:loop: a latency fault on a young process, its memory wandering as it warms up
    const wander = {
      metric: 'process_resident_memory_bytes',
      direction: 'up',
      score: 3.3,
    } as const;
    const slow = { metric: 'http_request_duration_p99_ms', direction: 'up', score: 99 } as const;
    expect(classifyFault(cause(['HighLatencyP99'], [slow, wander]))).toBe('latency');
  });
});

describe('bad deploy: what the platform says about releases comes first', () => {
  const failing = (deploys?: Array<{ version: string; at: number }>): RankedRootCause => ({
    service: 'payment',
    score: 1,
    path: ['payment'],
    evidence: {
      metrics: [{ metric: 'http_error_ratio', direction: 'up', score: 30, onset: 0 }],
      logs: [
        {
          service: 'payment',
          templateId: 't',
          template: 'charge failed: internal error',
          pattern: 'new-template',
          score: 12,
          onset: 0,
        },
      ],
      alerts: [],
      ...(deploys && { deploys }),
    },
  });

  it('calls new error lines a new version only where nobody reports releases', () => {
    expect(classifyFault(failing())).toBe('bad-deploy');
    expect(classifyFault(failing([]))).toBe('errors');
    expect(classifyFault(failing([{ version: 'v2', at: 0 }]))).toBe('bad-deploy');
  });

  it('takes a reported deploy with alerts on the service before its metrics move', () => {
    const early = cause(['HighErrorRatio']);
    expect(classifyFault({ ...early, evidence: { ...early.evidence, deploys: [] } })).toBe(
      'errors',
    );
    expect(
      classifyFault({
        ...early,
        evidence: { ...early.evidence, deploys: [{ version: 'v2', at: 0 }] },
      }),
    ).toBe('bad-deploy');
  });
});

describe('bad config: a new config version before the failure', () => {
  const withChanges = (
    base: RankedRootCause,
    configChanges: Array<{ version: string; at: number }>,
  ): RankedRootCause => ({
    ...base,
    evidence: { ...base.evidence, deploys: [], configChanges },
  });

  it('calls a failing or slow service whose config just changed a bad config', () => {
    const failing = cause([], [{ metric: 'http_error_ratio', direction: 'up' }]);
    expect(classifyFault(withChanges(failing, []))).toBe('errors');
    expect(classifyFault(withChanges(failing, [{ version: 'config 2', at: 0 }]))).toBe(
      'bad-config',
    );
    const alerting = cause(['HighLatencyP99']);
    expect(classifyFault(withChanges(alerting, [{ version: 'config 2', at: 0 }]))).toBe(
      'bad-config',
    );
  });

  it('lets a crash or a reported deploy come first', () => {
    const down = withChanges(cause(['TargetDown']), [{ version: 'config 2', at: 0 }]);
    expect(classifyFault(down)).toBe('crash');
    const both = withChanges(cause(['HighErrorRatio']), [{ version: 'config 2', at: 0 }]);
    both.evidence.deploys = [{ version: 'v2', at: 0 }];
    expect(classifyFault(both)).toBe('bad-deploy');
  });
});
