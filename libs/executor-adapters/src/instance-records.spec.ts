import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  leftoverInstances,
  procCommandLine,
  readInstanceRecords,
  writeInstanceRecords,
  type InstanceRecord,
} from './instance-records';

const record = (pid: number, commandLine: string[]): InstanceRecord => ({
  service: 'cart',
  port: 4000 + pid,
  pid,
  commandLine,
});

describe('instance records', () => {
  it('reads back what was written, and nothing from a missing or broken file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vigil-records-'));
    const file = join(dir, 'instances.json');
    expect(readInstanceRecords(file)).toEqual([]);
    const records = [record(11, ['node', 'shop.js'])];
    writeInstanceRecords(file, records);
    expect(readInstanceRecords(file)).toEqual(records);
    writeFileSync(file, '{"not": "records"');
    expect(readInstanceRecords(file)).toEqual([]);
  });

  it('finds the recorded processes still running their own command, not a reused pid', () => {
    const running = new Map([
      [11, ['node', 'shop.js']],
      [12, ['bash']], // the pid went to another program
    ]);
    const left = leftoverInstances(
      [record(11, ['node', 'shop.js']), record(12, ['node', 'shop.js']), record(13, ['node'])],
      (pid) => running.get(pid),
    );
    expect(left.map((r) => r.pid)).toEqual([11]);
  });

  it('reads a live command line from /proc', () => {
    expect(procCommandLine(process.pid)).toEqual(expect.arrayContaining([process.argv[1]]));
    expect(procCommandLine(2 ** 22 + 17)).toBeUndefined();
  });
});
