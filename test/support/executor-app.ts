import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ConsumerApp } from './kafka-suite';

/** A fresh temporary folder: `path` names a file in it, `write` puts one there. */
export function tempFolder(prefix: string) {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const path = (name: string) => join(dir, name);
  const write = (name: string, contents: string) => {
    writeFileSync(path(name), contents);
    return path(name);
  };
  return { path, write };
}

/** The executor as the suites run it: its own group and adapters file, quiet logs. */
export function executorApp(options: {
  port: number;
  group: string;
  adaptersFile: string;
  verifyDeadlineMs: number;
  env?: Record<string, string>;
}): ConsumerApp {
  return {
    app: 'executor',
    port: options.port,
    groups: [options.group],
    env: {
      EXECUTOR_PORT: String(options.port),
      EXECUTOR_GROUP: options.group,
      EXECUTOR_ADAPTERS_FILE: options.adaptersFile,
      EXECUTOR_VERIFY_DEADLINE_MS: String(options.verifyDeadlineMs),
      LOG_LEVEL: 'warn',
      ...options.env,
    },
  };
}
