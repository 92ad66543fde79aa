export interface ConfigRevision {
  target: string;
  /** Undefined: the service ran on its built-in defaults, with no config version yet. */
  from: number | undefined;
  to: number;
}

/**
 * The config versions of the targets an executor runs, as last seen, so that a new version made
 * current by anyone else (a config pipeline, a person, the demo's fault injector) is told as a
 * change: root-cause analysis takes a config change shortly before a failure as its likely cause.
 * The first look at a target only learns its version (or that it has none yet: the first config
 * pushed to a service on its defaults is a change too); a version the executor set itself (a
 * rollback-config step) is expected, and not told again as someone else's change.
 */
export class ConfigRevisions {
  private readonly seen = new Map<string, number | undefined>();

  /** The targets whose version moved since the last look. */
  observe(current: ReadonlyMap<string, number | undefined>): ConfigRevision[] {
    const moved: ConfigRevision[] = [];
    for (const [target, to] of current) {
      const known = this.seen.has(target);
      const from = this.seen.get(target);
      this.seen.set(target, to);
      if (known && to !== undefined && from !== to) moved.push({ target, from, to });
    }
    return moved;
  }

  /** The executor made `version` current on `target` itself. */
  expect(target: string, version: number): void {
    this.seen.set(target, version);
  }
}
