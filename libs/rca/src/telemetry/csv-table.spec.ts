import {
  RecordFormatError,
  findColumn,
  metricCell,
  parseCsvTable,
  rowWidthProblem,
} from './csv-table';

/** One data line's cells as parseCsvTable splits them; undefined when the row is malformed. */
function splitCsvRecord(line: string): string[] | undefined {
  const row = parseCsvTable(`header\n${line}`, 'line.csv').rows[0];
  return row.problem === undefined ? row.cells : undefined;
}

describe('splitting one line', () => {
  it('keeps commas inside quoted fields and reads a doubled quote as one quote', () => {
    expect(splitCsvRecord('a,"b, c","say ""hi""",d')).toEqual(['a', 'b, c', 'say "hi"', 'd']);
  });

  it('keeps empty fields, at the ends too', () => {
    expect(splitCsvRecord(',x,,')).toEqual(['', 'x', '', '']);
    expect(splitCsvRecord('"",x')).toEqual(['', 'x']);
  });

  it('is undefined when a quote is left open', () => {
    expect(splitCsvRecord('a,"b, c')).toBeUndefined();
  });

  it('reads a quote inside an unquoted field as text, and refuses text after a closing quote', () => {
    expect(splitCsvRecord('1,cart,he said "hi')).toEqual(['1', 'cart', 'he said "hi']);
    expect(splitCsvRecord('1,"cart"x,2')).toBeUndefined();
  });
});

describe('parseCsvTable', () => {
  it('reads the header and one row per line, each with its line number; blank lines are skipped', () => {
    const table = parseCsvTable(' a , b \r\n1,"x,y"\r\n\r\n3,4\n', 'in.csv');
    expect(table.header).toEqual(['a', 'b']);
    expect(table.rows).toEqual([
      { line: 2, cells: ['1', 'x,y'] },
      { line: 4, cells: ['3', '4'] },
    ]);
  });

  it('reads a quoted field over several lines (a stack trace), keeping later line numbers', () => {
    const text = [
      'time,pod,log',
      '1,cart,"ERROR boom',
      '  at foo (a.js:1)',
      '',
      '  at bar (b.js:2)"',
      '2,cart,"ok, fine"',
    ].join('\r\n');
    expect(parseCsvTable(text, 'log.csv').rows).toEqual([
      { line: 2, cells: ['1', 'cart', 'ERROR boom\n  at foo (a.js:1)\n\n  at bar (b.js:2)'] },
      { line: 6, cells: ['2', 'cart', 'ok, fine'] },
    ]);
  });

  it('keeps a row whose quote is never closed as a problem at its line, and reads on after it', () => {
    // no throw here: the row's reader throws it or skips it under lenient
    const table = parseCsvTable('a,b\n1,2\n3,"four\n5,6\n', 'logs/08_50_log.csv');
    expect(table.rows).toEqual([
      { line: 2, cells: ['1', '2'] },
      { line: 3, cells: [], problem: 'a quoted field is not closed by the end of the file' },
      { line: 4, cells: ['5', '6'] },
    ]);
  });

  it('keeps the rows after a row with a stray quote in its text (no quoted field opens mid-field)', () => {
    const text = ['time,pod,log', '1,cart,he said "hi', '2,cart,ok', '3,cart,she said "bye'].join(
      '\n',
    );
    expect(parseCsvTable(text, 'log.csv').rows).toEqual([
      { line: 2, cells: ['1', 'cart', 'he said "hi'] },
      { line: 3, cells: ['2', 'cart', 'ok'] },
      { line: 4, cells: ['3', 'cart', 'she said "bye'] },
    ]);
  });

  it('keeps a row with text after a closing quote as a problem at its line', () => {
    const rows = parseCsvTable('a,b\n"x"y,1\n2,3\n', 'x.csv').rows;
    expect(rows).toEqual([
      { line: 2, cells: [], problem: 'text after the closing quote of field 1' },
      { line: 3, cells: ['2', '3'] },
    ]);
  });

  it('names the line where a quote left open began, after a multi-line field', () => {
    const rows = parseCsvTable('a,b\n"x\ny",1\n2,"open\n3,4\n', 'x.csv').rows;
    expect(rows.map((r) => [r.line, r.problem ?? r.cells.join('|')])).toEqual([
      [2, 'x\ny|1'],
      [4, 'a quoted field is not closed by the end of the file'],
      [5, '3|4'],
    ]);
  });

  it('names file and line of a header whose quote is left open', () => {
    try {
      parseCsvTable('a,"b\n1,2\n', 'x.csv');
    } catch (error) {
      expect(error).toBeInstanceOf(RecordFormatError);
      expect(error).toMatchObject({ file: 'x.csv', line: 1 });
    }
    expect.assertions(2);
  });

  it('rejects a file without a header row', () => {
    expect(() => parseCsvTable('', 'empty.csv')).toThrow('empty.csv:1: no header row');
    expect(() => parseCsvTable(' , \n1,2', 'blank.csv')).toThrow('blank.csv:1: no header row');
  });
});

describe('findColumn', () => {
  it('matches names ignoring case and punctuation, the first matching header wins', () => {
    const header = ['TimeStamp', 'Span_ID', 'service.name', 'ServiceName'];
    expect(findColumn(header, ['spanid'])).toBe(1);
    expect(findColumn(header, ['servicename'])).toBe(2);
    expect(findColumn(header, ['time_stamp'])).toBe(0);
    expect(findColumn(header, ['traceid', 'trace_id'])).toBe(-1);
  });
});

describe('rowWidthProblem', () => {
  const header = ['time', 'pod', 'cpu'];

  it('says how many cells a row of other width has', () => {
    expect(rowWidthProblem(['1', 'cart', '2'], header)).toBeUndefined();
    expect(rowWidthProblem(['1', 'cart'], header)).toBe('2 cells where the header has 3');
    expect(rowWidthProblem(['1', 'cart', '2', 'x'], header)).toBe('4 cells where the header has 3');
  });

  it('takes empty cells past the header (a trailing comma) and unnamed columns left out as nothing', () => {
    expect(rowWidthProblem(['1', 'cart', '2', ' '], header)).toBeUndefined();
    expect(rowWidthProblem(['1', 'cart', '2'], [...header, ''])).toBeUndefined();
  });
});

describe('metricCell', () => {
  it('reads numbers, takes empty cells and spellings of a missing value as missing, else malformed', () => {
    expect(['1.5', ' -2e3 ', '', 'NaN', 'null', '-inf', 'abc', '1,5'].map(metricCell)).toEqual([
      1.5,
      -2000,
      undefined,
      undefined,
      undefined,
      undefined,
      'malformed',
      'malformed',
    ]);
  });
});
