import { PushpageError } from '../../errors';
import { MoreRequest } from '../../protocol';
import { componentMessage } from './component-message';

const FIELDS = new Set(['pageId', 'componentId', 'from']);

/**
 * Checks the index a `more` (or the REST children read) starts at: a whole number, 0 or
 * more; one past the end is no error (the list may have shrunk), it finds no children.
 */
export function checkFrom(from: unknown, what: string): number {
  if (typeof from !== 'number' || !Number.isSafeInteger(from) || from < 0)
    throw new PushpageError(
      'bad-request',
      `invalid ${what}: from must be a whole number, 0 or more`,
    );
  return from;
}

/** Checks a `more` message; throws `bad-request` naming the problem. */
export function validateMore(body: unknown): MoreRequest {
  const { pageId, componentId, fields } = componentMessage(body, 'more', FIELDS);
  return { pageId, componentId, from: checkFrom(fields.from, 'more') };
}

/** `from` of a REST query (`?from=N`; absent: 0), checked as {@link checkFrom}. */
export function queryFrom(value: unknown): number {
  if (value === undefined) return 0;
  const number = typeof value === 'string' && /^\d{1,15}$/.test(value) ? Number(value) : NaN;
  return checkFrom(number, 'query');
}
