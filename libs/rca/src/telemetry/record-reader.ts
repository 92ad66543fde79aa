import { RecordFormatError, type CsvRow } from './csv-table';

/** How a reader treats a malformed row: `strict` throws `file:line: reason`, `lenient` skips and counts it. */
export interface ReadOptions {
  file: string;
  lenient?: boolean;
}

export interface ReadResult<T> {
  records: T[];
  skipped: number;
}

/**
 * Each row through `read`, which gives a record or why the row is malformed: thrown as
 * `file:line: reason`, or skipped and counted under `lenient`.
 */
export function readCsvRows<T>(
  rows: readonly CsvRow[],
  options: ReadOptions,
  read: (row: CsvRow) => T | string,
): ReadResult<T> {
  const kept = new KeptRecords<T>(options);
  for (const row of rows) kept.add(read(row), row.line);
  return kept.result();
}

/** The same for JSON Lines: a line that is not JSON is malformed too. */
export function readJsonLines<T>(
  text: string,
  options: ReadOptions,
  read: (value: unknown) => T | string,
): ReadResult<T> {
  const kept = new KeptRecords<T>(options);
  text.split(/\r?\n/).forEach((line, i) => {
    if (line.trim() === '') return;
    let result: T | string;
    try {
      result = read(JSON.parse(line) as unknown);
    } catch {
      result = 'not JSON';
    }
    kept.add(result, i + 1);
  });
  return kept.result();
}

/** Records kept, malformed ones counted or thrown: the one step both readers share. */
class KeptRecords<T> {
  private readonly records: T[] = [];
  private skipped = 0;

  constructor(private readonly options: ReadOptions) {}

  add(result: T | string, line: number): void {
    if (typeof result !== 'string') this.records.push(result);
    else if (this.options.lenient) this.skipped++;
    else throw new RecordFormatError(this.options.file, line, result);
  }

  result(): ReadResult<T> {
    return { records: this.records, skipped: this.skipped };
  }
}
