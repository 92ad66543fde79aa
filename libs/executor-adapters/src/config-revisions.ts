export interface ConfigRevision {
  target: string;
  from: number;
  to: number;
}

/**
 * The config versions of the targets an executor runs, as last seen, so that a new version made
 * current by anyone else (a config pipeline, a person, the demo's fault injector) is told as a
 * change: root-cause analysis takes a config change shortly before a failure as its likely cause.
 * The first look at a target only learns its version; a version the executor set itself (a
 * rollback-config step) is expected, and not told again as someone else's change.
 */
export class ConfigRevisions {
  private readonly seen = new Map<string, number>();

  /** The targets whose version moved since the last look. */
  observe(current: ReadonlyMap<string, number>): ConfigRevision[] {
    const moved: ConfigRevision[] = [];
    for (const [target, to] of current) {
      const from = this.seen.get(target);
      this.seen.set(target, to);
      if (from !== undefined && from !== to) moved.push({ target, from, to });
    }
    return moved;
  }

  /** The executor made `version` current on `target` itself. */
  expect(target: string, version: number): void {
    this.seen.set(target, version);
  }
}
