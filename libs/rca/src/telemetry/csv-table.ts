/**
 * A small CSV reader for telemetry exports: a header row, then one record a line, fields quoted
 * with `"` where they hold commas (a doubled `""` is a quote inside). Pure: the caller reads the
 * file and passes its text and name, so every error can say `file:line`.
 */

export class RecordFormatError extends Error {
  constructor(
    readonly file: string,
    readonly line: number,
    reason: string,
  ) {
    super(`${file}:${line}: ${reason}`);
  }
}

export interface CsvRow {
  line: number;
  cells: string[];
}

export interface CsvTable {
  header: string[];
  rows: CsvRow[];
}

/** Splits one CSV line; `undefined` when a quote is left open. */
export function splitCsvRecord(line: string): string[] | undefined {
  if (!line.includes('"')) return line.split(',');
  const cells: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quoted && ch === '"' && line[i + 1] === '"') {
      cell += '"';
      i++;
    } else if (ch === '"') quoted = !quoted;
    else if (ch === ',' && !quoted) {
      cells.push(cell);
      cell = '';
    } else cell += ch;
  }
  if (quoted) return undefined;
  cells.push(cell);
  return cells;
}

export function parseCsvTable(text: string, file: string): CsvTable {
  const lines = text.split(/\r?\n/);
  const header = splitCsvRecord(lines[0] ?? '');
  if (!header || header.length === 0 || header.every((h) => h.trim() === ''))
    throw new RecordFormatError(file, 1, 'no header row');
  const rows: CsvRow[] = [];
  for (let i = 1; i < lines.length; i++) {
    if (lines[i].trim() === '') continue;
    const cells = splitCsvRecord(lines[i]);
    if (!cells) throw new RecordFormatError(file, i + 1, 'a quoted field is not closed');
    rows.push({ line: i + 1, cells });
  }
  return { header: header.map((h) => h.trim()), rows };
}

/** Epoch ms of an epoch time in seconds or in ms: a value above 1e11 is ms already (1973 in ms). */
export function epochMs(value: number): number {
  return value > 1e11 ? value : value * 1000;
}

/** A cell as a number; an empty cell is NaN (`Number('')` is 0, which would read as epoch 0). */
export function numberCell(text: string | undefined): number {
  return text === undefined || text.trim() === '' ? Number.NaN : Number(text);
}

/** The index of the first header matching one of `names` (case- and punctuation-insensitive). */
export function findColumn(header: readonly string[], names: readonly string[]): number {
  const wanted = new Set(names.map(normalize));
  return header.findIndex((h) => wanted.has(normalize(h)));
}

function normalize(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]/g, '');
}
