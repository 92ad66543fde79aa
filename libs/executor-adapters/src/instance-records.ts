import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { z } from 'zod';

/** A process the local-process adapter started: enough to know it again after a restart. */
export interface InstanceRecord {
  service: string;
  port: number;
  pid: number;
  /** The command line it was started with: a pid alone may have been given to another process. */
  commandLine: string[];
}

const recordsFile = z.array(
  z.object({
    service: z.string(),
    port: z.number().int(),
    pid: z.number().int().positive(),
    commandLine: z.array(z.string()),
  }),
);

/** The records of the instances running now, written whole (a crash mid-write keeps the last). */
export function writeInstanceRecords(file: string, records: readonly InstanceRecord[]): void {
  mkdirSync(dirname(file), { recursive: true });
  const partial = `${file}.tmp`;
  writeFileSync(partial, JSON.stringify(records, null, 2));
  renameSync(partial, file);
}

/** What the last adapter wrote; nothing when there is no file or it is not a records file. */
export function readInstanceRecords(file: string): InstanceRecord[] {
  if (!existsSync(file)) return [];
  try {
    const parsed = recordsFile.safeParse(JSON.parse(readFileSync(file, 'utf8')));
    return parsed.success ? parsed.data : [];
  } catch {
    return [];
  }
}

/**
 * The recorded instances that still run what they were started with: left by an adapter that
 * was killed before it could stop them. `commandLineOf` is undefined for a pid that runs nothing
 * (or whose command line cannot be read: then it is left alone, never killed on a guess).
 */
export function leftoverInstances(
  records: readonly InstanceRecord[],
  commandLineOf: (pid: number) => string[] | undefined,
): InstanceRecord[] {
  return records.filter((record) => {
    const running = commandLineOf(record.pid);
    return (
      running !== undefined &&
      running.length === record.commandLine.length &&
      running.every((part, i) => part === record.commandLine[i])
    );
  });
}

/** A process's command line from /proc (Linux); undefined where there is no such process. */
export function procCommandLine(pid: number): string[] | undefined {
  try {
    const raw = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    return raw.length > 0 ? raw.replace(/\0$/, '').split('\0') : undefined;
  } catch {
    return undefined;
  }
}
