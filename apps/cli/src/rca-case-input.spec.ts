import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { caseFolderOf, caseLabel, readCaseFolders, type CaseReading } from './rca-case-input';
import { SkippedRows } from './rca-telemetry-input';

const INJECT = 1767226200;

/** 20 minutes of two services, one row a minute; orders' CPU saturates at the injection. */
function dataCsv(): string {
  const rows = ['time,orders_cpu,db_cpu'];
  for (let t = INJECT - 600; t < INJECT + 600; t += 60)
    rows.push(`${t},${t >= INJECT ? 99 : 20 + (t % 7)},${10 + (t % 5)}`);
  return rows.join('\n');
}

describe('vigil rca --cases: reading case folders', () => {
  let dir: string;
  const reading = (): CaseReading => ({ lateMs: 0, lenient: false, skipped: new SkippedRows() });
  const addCase = (path: string, files: { data?: string; inject?: string }) => {
    mkdirSync(join(dir, path), { recursive: true });
    if (files.data !== undefined) writeFileSync(join(dir, path, 'data.csv'), files.data);
    if (files.inject !== undefined) writeFileSync(join(dir, path, 'inject_time.txt'), files.inject);
  };
  const labels = (root: string) =>
    readCaseFolders(root, reading(), ({ label }) => `${label.rootService}/${label.faultType}`);

  beforeEach(() => {
    // a parent folder with an underscore: never a label
    dir = join(mkdtempSync(join(tmpdir(), 'vigil-rca-cases-')), 'my_data');
    mkdirSync(dir);
  });
  afterEach(() => rmSync(join(dir, '..'), { recursive: true, force: true }));

  it('leaves out, with why, a case without a label or with a bad or missing file, and ranks the rest', () => {
    addCase('sys/orders_cpu/1', { data: dataCsv(), inject: `${INJECT}\n` });
    addCase('sys/weird/1', { data: dataCsv(), inject: `${INJECT}\n` });
    addCase('sys/orders_mem/1', { data: dataCsv(), inject: 'soon\n' });
    addCase('sys/orders_mem/2', { inject: `${INJECT}\n` });
    addCase('sys/orders_mem/3', { data: dataCsv() });
    addCase('sys/orders_disk/1', {
      data: `${dataCsv()}\n${INJECT + 900},abc,1`,
      inject: `${INJECT}`,
    });
    const read = labels(dir);
    expect(read.results).toEqual(['orders/cpu']);
    expect(read.unreadable).toEqual([
      `${join(dir, 'sys/orders_disk/1/data.csv')}:22: orders_cpu: "abc" is not a number`,
      `${join(dir, 'sys/orders_mem/1/inject_time.txt')}: "soon" is not a time`,
      `${join(dir, 'sys/orders_mem/2')} is not an RCAEval case: it has no data.csv`,
      `${join(dir, 'sys/orders_mem/3')} is not an RCAEval case: it has no inject_time.txt`,
      expect.stringMatching(
        new RegExp(`^${join(dir, 'sys/weird/1')}: no label in the folder names below ${dir}: `),
      ),
    ]);
  });

  it('reads labels only from the folders below the one given', () => {
    addCase('orders_cpu/1', { data: dataCsv(), inject: `${INJECT}` });
    expect(labels(dir).results).toEqual(['orders/cpu']);
    const below = labels(join(dir, 'orders_cpu'));
    expect(below.results).toEqual([]);
    expect(below.unreadable).toEqual([expect.stringMatching(/: no label in the folder names/)]);
  });

  it('says so when a folder holds no case at all', () => {
    expect(() => labels(dir)).toThrow(
      `no case folders (with data.csv or inject_time.txt) under ${dir}`,
    );
  });

  it('takes --case as a folder or its data.csv, labelled by the folder and, for a run, its parent', () => {
    addCase('sys/orders_cpu/1', { data: dataCsv(), inject: `${INJECT}` });
    const folder = join(dir, 'sys/orders_cpu/1');
    expect(caseFolderOf(join(folder, 'data.csv'))).toBe(folder);
    expect(caseFolderOf(folder)).toBe(folder);
    expect(caseLabel(folder)).toMatchObject({ rootService: 'orders', faultType: 'cpu', run: '1' });
    addCase('sys/weird/1', { data: dataCsv(), inject: `${INJECT}` });
    expect(caseLabel(join(dir, 'sys/weird/1'))).toBeUndefined();
  });
});
