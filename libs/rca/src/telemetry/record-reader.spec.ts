import { parseCsvTable } from './csv-table';
import { readCsvRows, readJsonLines } from './record-reader';

describe('readCsvRows', () => {
  const text = [
    'time,pod,cpu',
    '1,cart,2',
    '2,cart', // line 3: a cell short
    '3,cart,4,x', // line 4: a cell too many
    '4,cart,5,', // a trailing comma: nothing
    '5,"cart', // line 6: a quote never closed
    '6,cart,7',
  ].join('\n');
  const table = parseCsvTable(text, 'm.csv');
  const read = (row: { cells: string[] }) => Number(row.cells[0]);

  it('throws the first row of other width than the header as file:line', () => {
    expect(() => readCsvRows(table, { file: 'm.csv' }, read)).toThrow(
      'm.csv:3: 2 cells where the header has 3',
    );
  });

  it('skips and counts, under lenient, rows of other width and a row whose quote is never closed', () => {
    expect(readCsvRows(table, { file: 'm.csv', lenient: true }, read)).toEqual({
      records: [1, 4, 6],
      skipped: 3,
    });
  });

  it('throws a quote never closed at the line where it began', () => {
    const open = parseCsvTable('a,b\n1,2\n3,"x\n4,5\n', 'log.csv');
    expect(() => readCsvRows(open, { file: 'log.csv' }, read)).toThrow(
      'log.csv:3: a quoted field is not closed by the end of the file',
    );
    expect(readCsvRows(open, { file: 'log.csv', lenient: true }, read)).toEqual({
      records: [1, 4],
      skipped: 1,
    });
  });
});

describe('readJsonLines', () => {
  it('names the line that is not JSON, and skips it under lenient', () => {
    const text = '{"a":1}\n\nnot json\n{"a":2}\n';
    const read = (value: unknown) => (value as { a: number }).a;
    expect(() => readJsonLines(text, { file: 'x.jsonl' }, read)).toThrow('x.jsonl:3: not JSON');
    expect(readJsonLines(text, { file: 'x.jsonl', lenient: true }, read)).toEqual({
      records: [1, 2],
      skipped: 1,
    });
  });
});
