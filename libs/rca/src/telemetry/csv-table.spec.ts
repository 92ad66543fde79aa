import { RecordFormatError, findColumn, parseCsvTable, splitCsvRecord } from './csv-table';

describe('splitCsvRecord', () => {
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

  it('names file and line of a quoted field left open', () => {
    const text = 'a,b\n1,2\n3,"four\n5,6\n';
    expect(() => parseCsvTable(text, 'logs/08_50_log.csv')).toThrow(
      'logs/08_50_log.csv:3: a quoted field is not closed',
    );
    try {
      parseCsvTable(text, 'x.csv');
    } catch (error) {
      expect(error).toBeInstanceOf(RecordFormatError);
      expect(error).toMatchObject({ file: 'x.csv', line: 3 });
    }
    expect.assertions(3);
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
