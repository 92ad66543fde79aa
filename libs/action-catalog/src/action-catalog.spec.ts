import type { ActionName } from '@vigil/contracts';
import { actionCatalog, actionDefinition, catalogJsonSchemas, checkStep } from './action-catalog';

describe('the action catalog', () => {
  it('has every action of the plan contract, each with a risk, an inverse rule and checks', () => {
    const names = Object.keys(actionCatalog).sort();
    expect(names).toEqual([
      'clear-cache-key',
      'drain-instance',
      'failover',
      'flush-cache',
      'free-disk',
      'release-lock',
      'restart',
      'rollback-config',
      'rollback-deployment',
      'rotate-credentials',
      'run-diagnostic',
      'scale',
      'toggle-feature-flag',
    ]);
    for (const name of names) {
      const definition = actionDefinition(name as ActionName);
      expect(['low', 'medium', 'high']).toContain(definition.risk);
      // a change is always checked; a diagnostic changes nothing to check
      expect(definition.verifications.length > 0).toBe(!definition.readOnly);
    }
  });

  it('refuses actions outside the catalog and bad parameters, saying why', () => {
    expect(checkStep({ action: 'delete-namespace' as ActionName, params: {} })).toEqual({
      ok: false,
      reason: 'action "delete-namespace" is not in the catalog',
    });
    expect(checkStep({ action: 'constructor' as ActionName, params: {} }).ok).toBe(false);
    const zero = checkStep({ action: 'scale', params: { replicas: 0 } });
    expect(zero.ok).toBe(false);
    expect(!zero.ok && zero.reason).toMatch(/replicas: scaling to 0 stops the service/);
    const extra = checkStep({ action: 'restart', params: { command: 'rm -rf /' } });
    expect(!extra.ok && extra.reason).toMatch(/bad parameters for restart/);
  });

  it('fills defaults and sizes the blast radius from the target', () => {
    const restart = checkStep({ action: 'restart', params: {} });
    expect(restart.ok && restart.params).toEqual({ batchSize: 1 });
    const state = { replicas: 4 };
    expect(actionCatalog.restart.blastRadius({ batchSize: 2 }, state)).toBe(0.5);
    expect(actionCatalog.scale.blastRadius({ replicas: 1 }, state)).toBe(0.75);
    expect(actionCatalog.scale.blastRadius({ replicas: 8 }, state)).toBe(0);
  });

  it('knows how to undo what can be undone', () => {
    expect(actionCatalog.scale.inverse({ replicas: 8 }, { replicas: 3 })).toEqual({
      action: 'scale',
      params: { replicas: 3 },
    });
    expect(
      actionCatalog['rollback-deployment'].inverse({}, { replicas: 3, version: 'v42' }),
    ).toEqual({ action: 'rollback-deployment', params: { toVersion: 'v42' } });
    expect(actionDefinition('restart').inverse({ batchSize: 1 }, { replicas: 3 })).toBeUndefined();
    expect(actionCatalog['rollback-config'].inverse({}, { replicas: 1, configVersion: 4 })).toEqual(
      { action: 'rollback-config', params: { toVersion: 4 } },
    );
    expect(actionCatalog['rollback-config'].inverse({}, { replicas: 1 })).toBeUndefined();
  });

  it('takes one exact cache key, only scratch space and plain lock names', () => {
    expect(checkStep({ action: 'clear-cache-key', params: { key: 'cart:hot' } }).ok).toBe(true);
    // a pattern is flush-cache's business: one poisoned key must not flush the rest
    expect(checkStep({ action: 'clear-cache-key', params: { key: 'cart:*' } }).ok).toBe(false);
    const disk = checkStep({ action: 'free-disk', params: {} });
    expect(disk.ok && disk.params).toEqual({ area: 'tmp' });
    expect(checkStep({ action: 'free-disk', params: { area: 'data' } }).ok).toBe(false);
    expect(checkStep({ action: 'release-lock', params: { lock: '../../etc/passwd' } }).ok).toBe(
      false,
    );
    expect(
      checkStep({ action: 'rotate-credentials', params: { dependency: 'catalog-db' } }).ok,
    ).toBe(true);
  });

  it('publishes a JSON Schema per action for structured LLM output', () => {
    const schemas = catalogJsonSchemas();
    expect(schemas.scale).toMatchObject({
      type: 'object',
      properties: { replicas: { type: 'integer' } },
    });
  });
});
