import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parsePolicy } from '@vigil/guardrails';
import { planRetainMs } from '@vigil/remediation-engine';
import { withWindowsAtMost } from './short-policy';

describe('withWindowsAtMost', () => {
  const demo = parsePolicy(
    JSON.parse(readFileSync(join(__dirname, '../../infra/demo/guardrail-policy.json'), 'utf8')),
  );

  it("bounds how long the executor keeps ended plans to the soak's retention", () => {
    // the demo policy's hour-long rate limit would keep every plan an hour
    expect(planRetainMs(demo, 240_000)).toBe(3_600_000);
    const short = withWindowsAtMost(demo, 240);
    expect(planRetainMs(short, 240_000)).toBe(240_000);
  });

  it('keeps the limits themselves and the windows already shorter', () => {
    const short = withWindowsAtMost(demo, 240);
    expect(short.environments['demo']?.rateLimits.perTarget).toEqual({
      max: 6,
      windowSeconds: 240,
    });
    expect(short.environments['demo']?.blastRadius.max).toBe(1);
    expect(withWindowsAtMost(demo, 100_000)).toEqual(demo);
    // what it writes is a policy the executor accepts
    expect(parsePolicy(JSON.parse(JSON.stringify(short)))).toEqual(short);
  });
});
