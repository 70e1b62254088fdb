/**
 * What an upload accepts: checks shared by the server (the authority) and the browser runtime
 * (which refuses early, for the user's sake). No imports, so the client bundle can use it.
 */

/** The most files one `Upload` may take in one go. */
export const MAX_UPLOAD_FILES = 100;

/** The longest file name kept, in characters; longer ones are cut. */
export const MAX_FILE_NAME_LENGTH = 255;

/** The fewest items an `accept` list may have is none (anything goes); this is the most. */
export const MAX_ACCEPT_ITEMS = 50;

const EXTENSION = /^\.[A-Za-z0-9][A-Za-z0-9._+-]{0,31}$/;
const MIME_TYPE =
  /^[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,63}\/(\*|[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,127})$/;

/**
 * Why an `accept` item is not one, or `undefined`: an item is a file name ending (`.csv`) or
 * a MIME type (`text/csv`), perhaps with a wildcard subtype (`image/*`), as in HTML's
 * `accept` attribute.
 */
export function acceptItemProblem(item: unknown): string | undefined {
  if (typeof item !== 'string') return 'an accept item must be a string';
  if (EXTENSION.test(item) || MIME_TYPE.test(item)) return undefined;
  return `accept item ${JSON.stringify(item)} is neither a name ending (.csv) nor a MIME type (text/csv, image/*)`;
}

/**
 * Whether a file of this (cleaned) name and declared MIME type fits an `accept` list; an
 * empty list accepts everything. Name endings compare case-insensitively, as MIME types do.
 */
export function acceptsFile(accept: readonly string[], name: string, type: string): boolean {
  if (accept.length === 0) return true;
  const lowerName = name.toLowerCase();
  const lowerType = type.toLowerCase();
  return accept.some((item) => {
    const lower = item.toLowerCase();
    if (lower.startsWith('.')) return lowerName.endsWith(lower) && lowerName.length > lower.length;
    if (lower.endsWith('/*')) return lowerType.startsWith(lower.slice(0, -1));
    return lowerType === lower;
  });
}

/**
 * A file name as a browser sent it, made safe to show and keep as metadata: its last path
 * segment (some browsers send a path), without control characters, trimmed, at most
 * {@link MAX_FILE_NAME_LENGTH} characters; `file` when nothing is left. Never a path.
 */
export function cleanFileName(raw: string): string {
  const last = raw.split(/[/\\]/).pop() ?? '';
  // eslint-disable-next-line no-control-regex -- control characters are what is removed
  const printable = last.replace(/[\u0000-\u001f\u007f-\u009f]/g, '').trim();
  const kept = Array.from(printable).slice(0, MAX_FILE_NAME_LENGTH).join('');
  return kept === '' || kept === '.' || kept === '..' ? 'file' : kept;
}

/** A size in bytes as people read it: `512 B`, `1.5 kB`, `2 MB` (powers of 1000). */
export function bytesText(bytes: number): string {
  if (bytes < 1000) return `${bytes} B`;
  const units = ['kB', 'MB', 'GB', 'TB'];
  let value = bytes / 1000;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return `${value >= 10 ? Math.round(value) : Math.round(value * 10) / 10} ${units[unit]}`;
}
