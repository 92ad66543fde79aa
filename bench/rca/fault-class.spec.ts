// The fault class told from the leading candidate's evidence picks the fallback runbook: on the
// suite's cases where the root is found, it must name the injected kind of fault.
import { classifyFault, rankRootCauses } from '@vigil/rca';
import { generateRcaCases } from './case-generator';

const acceptable: Record<string, string[]> = {
  crash: ['crash'],
  'bad-deploy': ['bad-deploy'],
  memory: ['memory-leak'],
  cpu: ['cpu-saturation'],
  errors: ['errors'],
  latency: ['latency'],
  // the caller that lost its dependency fails or times out
  'dependency-loss': ['errors', 'latency'],
};

describe('fault classes from the evidence', () => {
  it('names the injected kind of fault for at least 85% of the roots found', () => {
    let found = 0;
    let right = 0;
    for (const c of generateRcaCases().cases) {
      const top = rankRootCauses(c.rcaCase)[0];
      if (top.service !== c.rootService) continue;
      found++;
      if (acceptable[c.faultType].includes(classifyFault(top))) right++;
    }
    expect(found).toBeGreaterThanOrEqual(50);
    expect(right / found).toBeGreaterThanOrEqual(0.85);
  });
});
