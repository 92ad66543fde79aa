import { actionName } from '@vigil/contracts';
import { DEFAULT_POLICY, PolicyError, parsePolicy } from './policy';
import { matchesPattern } from './target-patterns';

describe('the guardrail policy', () => {
  it('fills every default from an environment name alone', () => {
    const policy = parsePolicy({ environments: { production: {} } });
    const prod = policy.environments.production;
    expect(prod.allowedActions).toEqual(actionName.options);
    expect(prod.blastRadius).toEqual({
      max: 0.34,
      perAction: {
        'rollback-deployment': 1,
        'flush-cache': 1,
        'toggle-feature-flag': 1,
        failover: 1,
        'rollback-config': 1,
        'clear-cache-key': 1,
        'free-disk': 1,
        'release-lock': 1,
        'rotate-credentials': 1,
      },
      settleSeconds: 300,
      smallServices: 'approver',
    });
    expect(prod.rateLimits.perTarget).toEqual({ max: 3, windowSeconds: 3600 });
    expect(prod.maxConcurrentPerTarget).toBe(1);
    expect(prod.approvals).toEqual({ low: 'none', medium: 'responder', high: 'approver' });
    expect(prod.dryRunFirst).toBe(true);
    expect(policy.circuitBreaker).toEqual({
      failureThreshold: 3,
      windowSeconds: 3600,
      coolDownSeconds: 1800,
      approvalWhileOpen: 'responder',
    });
    expect(policy).toMatchObject({ maxStepsPerPlan: 10, maxParamsBytes: 2048 });
  });

  it('keeps defaults of a section when only some of its fields are given', () => {
    const policy = parsePolicy({ environments: { staging: { approvals: { medium: 'none' } } } });
    expect(policy.environments.staging.approvals).toEqual({
      low: 'none',
      medium: 'none',
      high: 'approver',
    });
  });

  it('reports every problem with its path', () => {
    const bad = {
      environments: {
        production: {
          blastRadius: { max: 1.5 },
          allowedActions: ['restart', 'exec'],
          approvals: { high: 'viewer' },
          freezes: [{ kind: 'weekly', name: 'n', days: ['fri'], start: '25:00', end: '06:00' }],
          maxConcurent: 2,
        },
      },
    };
    expect(() => parsePolicy(bad)).toThrow(PolicyError);
    const message = (() => {
      try {
        parsePolicy(bad);
        return '';
      } catch (e) {
        return (e as Error).message;
      }
    })();
    expect(message).toMatch(/environments\.production\.blastRadius\.max/);
    expect(message).toMatch(/environments\.production\.allowedActions\.1/);
    expect(message).toMatch(/environments\.production\.approvals\.high/);
    expect(message).toMatch(/freezes\.0\.start: a time of day as HH:MM/);
    expect(message).toMatch(/maxConcurent/);
  });

  it('refuses an absolute freeze that ends before it starts', () => {
    const freezes = [
      { kind: 'absolute', name: 'x', from: '2025-06-02T00:00:00Z', to: '2025-06-01T00:00:00Z' },
    ];
    expect(() => parsePolicy({ environments: { p: { freezes } } })).toThrow(
      /must end after it starts/,
    );
  });

  it('ships a strict production and a looser staging default', () => {
    expect(DEFAULT_POLICY.environments.production.approvals.medium).toBe('responder');
    expect(DEFAULT_POLICY.environments.staging.approvals).toEqual({
      low: 'none',
      medium: 'none',
      high: 'responder',
    });
    expect(DEFAULT_POLICY.environments.staging.blastRadius.max).toBe(0.5);
  });
});

describe('target patterns', () => {
  it('treats only * as special', () => {
    expect(matchesPattern('payments-db', 'payments-*')).toBe(true);
    expect(matchesPattern('payments', 'payments-*')).toBe(false);
    expect(matchesPattern('a.b', 'a.b')).toBe(true);
    expect(matchesPattern('axb', 'a.b')).toBe(false);
    expect(matchesPattern('anything', '*')).toBe(true);
  });
});
