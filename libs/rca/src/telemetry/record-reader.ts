import { RecordFormatError, rowWidthProblem, type CsvRow, type CsvTable } from './csv-table';

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
 * Each row of a table through `read`, which gives a record or why the row is malformed: thrown as
 * `file:line: reason`, or skipped and counted under `lenient`. A row that could not be split (a
 * quote never closed) or is of other width than the header is malformed before `read` sees it:
 * a cell short or one too many shifts the columns, so its cells cannot be trusted.
 */
export function readCsvRows<T>(
  table: CsvTable,
  options: ReadOptions,
  read: (row: CsvRow) => T | string,
): ReadResult<T> {
  const kept = new KeptRecords<T>(options);
  for (const row of table.rows)
    kept.add(row.problem ?? rowWidthProblem(row.cells, table.header) ?? read(row), row.line);
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
    let value: unknown;
    try {
      value = JSON.parse(line) as unknown;
    } catch {
      kept.add('not JSON', i + 1);
      return;
    }
    kept.add(read(value), i + 1);
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
