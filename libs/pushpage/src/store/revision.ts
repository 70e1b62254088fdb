import { createHash } from 'node:crypto';
import { StoredComponent } from './store';

/**
 * One state of a page as HTTP clients tell states apart: the version of every scope it shows
 * and how many document edits each scope has had. All of these only rise.
 */
export interface PageRevision {
  versions: Record<string, number>;
  docs: Record<string, number>;
}

/** The revision of a page loaded whole (`load([pageId], 'tree')`). */
export function revisionOf(records: readonly StoredComponent[]): PageRevision {
  const revision: PageRevision = { versions: {}, docs: {} };
  for (const r of records) {
    if (!r.scope) continue;
    revision.versions[r.id] = r.version;
    if (r.edits) revision.docs[r.id] = r.edits;
  }
  return revision;
}

const WORD = 2 ** 32;

/**
 * A weak ETag naming one revision: two 32-bit sums, over the revision's entries
 * (`s:<id>=<version>` and `d:<id>=<edits>`), of words of each entry's SHA-1. A sum does not
 * depend on order, so the Redis store computes the same tag inside its read script
 * without sorting (Lua's string order follows the server's locale).
 */
export function revisionEtag(revision: PageRevision): string {
  let high = 0;
  let low = 0;
  const add = (entry: string): void => {
    const hex = createHash('sha1').update(entry).digest('hex');
    high = (high + parseInt(hex.slice(0, 8), 16)) % WORD;
    low = (low + parseInt(hex.slice(8, 16), 16)) % WORD;
  };
  for (const [id, version] of Object.entries(revision.versions)) add(`s:${id}=${version}`);
  for (const [id, edits] of Object.entries(revision.docs)) add(`d:${id}=${edits}`);
  const word = (n: number): string => n.toString(16).padStart(8, '0');
  return `W/"${word(high)}${word(low)}"`;
}

/** A page's version for HTTP clients: the sum of everything in its revision. */
export function revisionNumber(revision: PageRevision): number {
  const sum = (counts: Record<string, number>): number =>
    Object.values(counts).reduce((total, n) => total + n, 0);
  return sum(revision.versions) + sum(revision.docs);
}
