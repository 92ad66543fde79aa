import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import {
  parseInjectTime,
  parseRcaEvalLabel,
  parseRcaEvalSeries,
  rcaCaseOf,
  RecordFormatError,
  type RcaCase,
  type RcaEvalLabel,
  type RcaTopology,
} from '@vigil/rca';
import { readInputFile } from './input-file';
import type { SkippedRows } from './rca-telemetry-input';

/** What reading an RCAEval case needs besides its folder. */
export interface CaseReading {
  topology?: RcaTopology;
  /** Detection this long after the injection. */
  lateMs: number;
  lenient: boolean;
  skipped: SkippedRows;
}

export interface LabelledCase {
  folder: string;
  label: RcaEvalLabel;
  input: RcaCase;
}

/** What was made of each case of a folder that could be read, and why each other could not. */
export interface CaseFolders<T> {
  results: T[];
  unreadable: string[];
}

export const LABEL_RULE =
  'the root cause is read from the case folder name, <service>_<fault>, or from its parent when the case folder is a run number (cartservice_cpu/1)';

/**
 * The ranking compares what came after the anomaly start with what came before: a start outside
 * the data (a typo, seconds taken for milliseconds) would rank every service 0 without a word.
 */
export function checkAnomalyStart(input: RcaCase, start = '--anomaly-start'): void {
  if (input.end !== undefined && input.end <= input.anomalyStart)
    throw new Error(`--end must come after ${start}`);
  // a loop, not Math.min(...times): tens of thousands of series would overflow the call's arguments
  let first = Infinity;
  let last = -Infinity;
  for (const { times } of input.series) {
    if (times.length === 0) continue;
    first = Math.min(first, times[0]);
    last = Math.max(last, times[times.length - 1]);
  }
  if (first === Infinity) return;
  const iso = (t: number) => new Date(t).toISOString();
  if (input.anomalyStart > last)
    throw new Error(
      `${start} (${iso(input.anomalyStart)}) is after the data, which ends at ${iso(last)}`,
    );
  if (input.anomalyStart <= first)
    throw new Error(
      `${start} (${iso(input.anomalyStart)}) leaves nothing before it to compare with: the data begins at ${iso(first)}`,
    );
}

/** `--case`: a case folder, or its data.csv (read from the folder it is in). */
export function caseFolderOf(path: string): string {
  if (!existsSync(path)) throw new Error(`${path} does not exist`);
  return statSync(path).isDirectory() ? path : dirname(path);
}

/**
 * The label of `--case`: from the case folder's own name, or its parent's when it is a run number
 * ({@link parseRcaEvalLabel}); undefined when they name no fault.
 */
export const caseLabel = (folder: string): RcaEvalLabel | undefined =>
  parseRcaEvalLabel(resolve(folder));

/** A case in the RCAEval layout (data.csv, inject_time.txt), its start checked against its data. */
export function readCaseFolder(folder: string, reading: CaseReading): RcaCase {
  const data = join(folder, 'data.csv');
  const inject = join(folder, 'inject_time.txt');
  const missing = [data, inject].filter((file) => !existsSync(file));
  if (missing.length > 0)
    throw new Error(
      `${folder} is not an RCAEval case: it has no ${missing.map((f) => relative(folder, f)).join(' and no ')}`,
    );
  const late = reading.lateMs;
  const anomalyStart = parseInjectTime(readInputFile(inject), inject) + late;
  const read = parseRcaEvalSeries(readInputFile(data), {
    topology: reading.topology,
    file: data,
    lenient: reading.lenient,
  });
  reading.skipped.add('metric rows', read);
  const input = rcaCaseOf(read.series, anomalyStart, reading.topology);
  checkAnomalyStart(input, `the injection of ${inject}${late ? ` + --late ${late / 1000} s` : ''}`);
  return input;
}

/** Every folder under `root` (itself too) that holds a case's file: data.csv or inject_time.txt. */
export function findCaseFolders(root: string): string[] {
  if (!existsSync(root)) throw new Error(`${root} does not exist`);
  if (!statSync(root).isDirectory()) throw new Error(`${root} is not a folder: --cases takes one`);
  const found: string[] = [];
  const visit = (folder: string) => {
    const entries = readdirSync(folder);
    if (entries.includes('data.csv') || entries.includes('inject_time.txt')) found.push(folder);
    for (const entry of entries) {
      const path = join(folder, entry);
      if (statSync(path).isDirectory()) visit(path);
    }
  };
  visit(root);
  return found.sort();
}

/**
 * Every case under `root` through `use`, one at a time (a folder of many cases is never held at
 * once). A case whose label cannot be read from the folders below `root` (a folder above it is
 * where the data was put, not which fault it holds), or whose files are missing or malformed, is
 * left out with a line saying why: one bad case does not stop the rest.
 */
export function readCaseFolders<T>(
  root: string,
  reading: CaseReading,
  use: (labelled: LabelledCase) => T,
  onProgress: (done: number, total: number) => void = () => undefined,
): CaseFolders<T> {
  const folders = findCaseFolders(root);
  if (folders.length === 0)
    throw new Error(`no case folders (with data.csv or inject_time.txt) under ${root}`);
  const read: CaseFolders<T> = { results: [], unreadable: [] };
  folders.forEach((folder, i) => {
    const labelled = readLabelledCase(root, folder, reading);
    if (typeof labelled === 'string') read.unreadable.push(labelled);
    else read.results.push(use(labelled));
    onProgress(i + 1, folders.length);
  });
  return read;
}

/** A case of `root` with its label, or why it cannot be read (naming its folder or file). */
function readLabelledCase(
  root: string,
  folder: string,
  reading: CaseReading,
): LabelledCase | string {
  const label = parseRcaEvalLabel(relative(root, folder));
  if (!label) return `${folder}: no label in the folder names below ${root}: ${LABEL_RULE}`;
  try {
    return { folder, label, input: readCaseFolder(folder, reading) };
  } catch (error) {
    if (!isInputProblem(error)) throw error;
    return error.message;
  }
}

/**
 * What the readers throw for a file that is missing or malformed: a plain Error or a
 * RecordFormatError. Anything else (a TypeError ...) is a fault of the code and stops the run.
 */
function isInputProblem(error: unknown): error is Error {
  return (
    error instanceof RecordFormatError ||
    (error instanceof Error && Object.getPrototypeOf(error) === Error.prototype)
  );
}
