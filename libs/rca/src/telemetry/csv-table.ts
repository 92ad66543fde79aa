/**
 * A small CSV reader for telemetry exports (RFC 4180): a header row, then one record a line,
 * fields quoted with `"` where they hold commas or line breaks (a doubled `""` is a quote inside;
 * a stack trace in a log export spans several lines). Pure: the caller reads the file and passes
 * its text and name, so every error can say `file:line`.
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

/**
 * A header that cannot be split (a quote never closed, text after a closing quote): the file is
 * malformed, not a table of another kind, so nothing may pass it over as one.
 */
export class CsvSyntaxError extends RecordFormatError {}

export interface CsvRow {
  /** The line of the file the row begins on (a quoted field may carry it over later lines). */
  line: number;
  cells: string[];
  /**
   * Why the row could not be split into cells (a quote never closed). Kept as a row, not thrown,
   * so its reader throws it or skips it under `lenient` like any malformed row.
   */
  problem?: string;
}

export interface CsvTable {
  header: string[];
  rows: CsvRow[];
}

const UNCLOSED_QUOTE = 'a quoted field is not closed by the end of the file';
const RUNAWAY_QUOTE =
  'a quoted field is not closed on its line, and no later line closes it cleanly';

/**
 * One record being split, as RFC 4180 reads it: a quote opens a field only at the field's start
 * and, once closed, only a comma or the end of the line may follow. A quote inside an unquoted
 * field is text (log lines quote words): read as an opening quote, it would run on over the next
 * rows and swallow them into one.
 */
class RecordSplit {
  readonly cells: string[] = [];
  cell = '';
  /** Why the record is malformed, once it is. */
  problem?: string;
  private state: 'start' | 'plain' | 'quoted' | 'closed' = 'start';

  /** Whether a quoted field is open at the end of what was added: it goes on with the next line. */
  get quoted(): boolean {
    return this.state === 'quoted';
  }

  add(line: string): void {
    for (let i = 0; i < line.length && this.problem === undefined; i++) {
      const ch = line[i];
      if (this.state === 'quoted') {
        if (ch !== '"') this.cell += ch;
        else if (line[i + 1] === '"') this.cell += line[i++];
        else this.state = 'closed';
      } else if (ch === ',') this.endCell();
      else if (this.state === 'closed')
        this.problem = `text after the closing quote of field ${this.cells.length + 1}`;
      else if (ch === '"' && this.state === 'start') this.state = 'quoted';
      else {
        this.cell += ch;
        this.state = 'plain';
      }
    }
  }

  finish(): string[] {
    this.endCell();
    return this.cells;
  }

  private endCell(): void {
    this.cells.push(this.cell);
    this.cell = '';
    this.state = 'start';
  }
}

/**
 * The cells of the record that begins at line index `start`, or why it is malformed (a quote never
 * closed, text after a closing quote), and the index of the line to read on from. A record that
 * never closes its quote is most likely one row with a stray quote: reading resumes on the line
 * after the one it began on, not at the end of the file its open field ran to.
 */
function readRecord(
  lines: readonly string[],
  start: number,
): { cells?: string[]; problem?: string; next: number } {
  // most lines of an export hold no quote: split them at once
  if (!lines[start].includes('"')) return { cells: lines[start].split(','), next: start + 1 };
  const split = new RecordSplit();
  for (let i = start; i < lines.length; i++) {
    split.add(lines[i]);
    // a quote that opened a field running over lines and ends badly: most likely a stray quote
    // in this row, so the lines it ran over are rows of their own
    if (split.problem !== undefined)
      return { problem: i === start ? split.problem : RUNAWAY_QUOTE, next: start + 1 };
    if (!split.quoted) return { cells: split.finish(), next: i + 1 };
    // the line break is part of the quoted field
    split.cell += '\n';
  }
  return { problem: UNCLOSED_QUOTE, next: start + 1 };
}

/** Every record from line index `from` on, by the line it begins on; blank lines are nothing. */
function readRows(lines: readonly string[], from: number): CsvRow[] {
  const rows: CsvRow[] = [];
  let i = from;
  while (i < lines.length) {
    if (lines[i].trim() === '') {
      i++;
      continue;
    }
    const read = readRecord(lines, i);
    rows.push({
      line: i + 1,
      cells: read.cells ?? [],
      ...(read.problem !== undefined && { problem: read.problem }),
    });
    i = read.next;
  }
  return rows;
}

export function parseCsvTable(text: string, file: string): CsvTable {
  const lines = text.split(/\r?\n/);
  const first = lines[0] ?? '';
  const header = first.trim() === '' ? undefined : readRecord(lines, 0);
  if (header?.problem !== undefined) throw new CsvSyntaxError(file, 1, header.problem);
  const names = header?.cells ?? [];
  if (names.length === 0 || names.every((h) => h.trim() === ''))
    throw new RecordFormatError(file, 1, 'no header row');
  return { header: names.map((h) => h.trim()), rows: readRows(lines, header?.next ?? 1) };
}

/**
 * Why a row is of other width than the header, or undefined when it is not: a cell short (header
 * columns without a name at the end may be left out), or a cell too many (empty cells past the
 * header's, a trailing comma, are nothing).
 */
export function rowWidthProblem(
  cells: readonly string[],
  header: readonly string[],
): string | undefined {
  if (cells.length === header.length) return undefined;
  let named = header.length;
  while (named > 0 && header[named - 1] === '') named--;
  const extra = cells.slice(header.length);
  if (cells.length >= named && extra.every((cell) => cell.trim() === '')) return undefined;
  return `${cells.length} cells where the header has ${header.length}`;
}

/** Epoch ms of an epoch time in seconds or in ms: a value above 1e11 is ms already (1973 in ms). */
export function epochMs(value: number): number {
  return value > 1e11 ? value : value * 1000;
}

/** A cell as a number; an empty cell is NaN (`Number('')` is 0, which would read as epoch 0). */
export function numberCell(text: string | undefined): number {
  return text === undefined || text.trim() === '' ? Number.NaN : Number(text);
}

/** How pandas and exporters write a value that is missing (`NaN`, `null`, `inf` ...). */
const MISSING = /^(nan|null|none|na|n\/a|[+-]?inf(inity)?)$/i;

/**
 * A metric cell: its number; undefined for a missing point (an empty cell, or a spelling of a
 * missing value: a scrape that never happened); `malformed` for any other text.
 */
export function metricCell(cell: string | undefined): number | undefined | 'malformed' {
  const value = numberCell(cell);
  if (Number.isFinite(value)) return value;
  const text = (cell ?? '').trim();
  return text === '' || MISSING.test(text) ? undefined : 'malformed';
}

/** The index of the first header matching one of `names` (case- and punctuation-insensitive). */
export function findColumn(header: readonly string[], names: readonly string[]): number {
  const wanted = new Set(names.map(normalize));
  return header.findIndex((h) => wanted.has(normalize(h)));
}

function normalize(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]/g, '');
}
