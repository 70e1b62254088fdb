/** The most points an uploaded series may add to the live dashboard's chart. */
export const MAX_CSV_POINTS = 2000;

/** A series read from a CSV file: `[time in ms, value]` points, oldest first. */
export type CsvPoints = [number, number][];

/** What reading a CSV file gave: its points, or why it has none. */
export type CsvSeries = { ok: true; points: CsvPoints } | { ok: false; problem: string };

/** A time cell: milliseconds since the epoch, or an ISO 8601 date; `undefined` if neither. */
function timeOf(cell: string): number | undefined {
  if (/^\d{10,13}$/.test(cell)) return Number(cell);
  if (!/^\d{4}-\d\d-\d\d/.test(cell)) return undefined;
  const at = Date.parse(cell);
  return Number.isNaN(at) ? undefined : at;
}

/**
 * Reads `time,value` lines (a header line is skipped; time in ms since the epoch or ISO 8601;
 * `;` or tabs separate as well as `,`) into points sorted by time. Every line must read, so a
 * file with a stray line is refused whole, with the line's number, rather than drawn in part.
 */
export function readCsvSeries(text: string): CsvSeries {
  const lines = text
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/)
    .map((line, i) => ({ line: line.trim(), number: i + 1 }))
    .filter(({ line }) => line !== '');
  const points: CsvPoints = [];
  for (const [index, { line, number }] of lines.entries()) {
    const cells = line.split(/[,;\t]/).map((cell) => cell.trim().replace(/^"(.*)"$/, '$1'));
    const at = cells.length === 2 ? timeOf(cells[0]) : undefined;
    const value = cells.length === 2 && cells[1] !== '' ? Number(cells[1]) : NaN;
    if (at === undefined || !Number.isFinite(value)) {
      if (index === 0 && cells.length === 2) continue; // a header
      return { ok: false, problem: `line ${number} is not "time,value": ${line.slice(0, 60)}` };
    }
    points.push([at, value]);
    if (points.length > MAX_CSV_POINTS)
      return { ok: false, problem: `more than ${MAX_CSV_POINTS} points` };
  }
  if (points.length === 0) return { ok: false, problem: 'no "time,value" lines' };
  return { ok: true, points: points.sort((a, b) => a[0] - b[0]) };
}
