import { MAX_CSV_POINTS, readCsvSeries } from '../../../apps/demo/pages/csv-series';

describe('reading an uploaded CSV into chart points', () => {
  it('reads time,value lines with a header, ISO or epoch times, sorted by time', () => {
    const csv =
      'time,value\r\n2026-12-05T08:00:02Z,3.5\n1796457600000;-1\n\n2026-12-05T08:00:01Z,"2"\n';
    expect(readCsvSeries(csv)).toEqual({
      ok: true,
      points: [
        [1796457600000, -1],
        [Date.parse('2026-12-05T08:00:01Z'), 2],
        [Date.parse('2026-12-05T08:00:02Z'), 3.5],
      ],
    });
  });

  it('refuses a file with a line that does not read, naming the line', () => {
    const result = readCsvSeries('time,value\n1796457600000,1\nyesterday,2\n');
    expect(result).toEqual({ ok: false, problem: 'line 3 is not "time,value": yesterday,2' });
    expect(readCsvSeries('1796457600000,1,2')).toMatchObject({ ok: false });
    expect(readCsvSeries('1796457600000,')).toMatchObject({ ok: false });
  });

  it('refuses an empty file and one with too many points', () => {
    expect(readCsvSeries('time,value\n')).toEqual({ ok: false, problem: 'no "time,value" lines' });
    const many = Array.from({ length: MAX_CSV_POINTS + 1 }, (_, i) => `${1796457600000 + i},1`);
    expect(readCsvSeries(many.join('\n'))).toEqual({
      ok: false,
      problem: `more than ${MAX_CSV_POINTS} points`,
    });
  });
});
