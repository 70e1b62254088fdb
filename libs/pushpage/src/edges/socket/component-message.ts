import { PushpageError } from '../../errors';
import { checkPlainJson } from '../../engine/plain-json';
import { ID_PATTERN } from '../../protocol';

/** A socket message about one component of a page, its other fields not yet checked. */
export interface ComponentMessage {
  pageId: string;
  componentId: string;
  fields: Record<string, unknown>;
}

/**
 * Checks the frame of a message about a component (`doc`, `more`): a plain JSON object with
 * only the `known` fields, a page id and a component id; throws `bad-request` naming the
 * problem, with `what` (the message's name).
 */
export function componentMessage(
  body: unknown,
  what: string,
  known: ReadonlySet<string>,
): ComponentMessage {
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw new PushpageError(
      'bad-request',
      `${what} needs a JSON object { pageId, componentId, ... }`,
    );
  checkPlainJson(body, what);
  const fields = body as Record<string, unknown>;
  for (const key of Object.keys(fields))
    if (!known.has(key))
      throw new PushpageError('bad-request', `invalid ${what}: property ${key} should not exist`);
  const { pageId, componentId } = fields;
  if (typeof pageId !== 'string' || !ID_PATTERN.test(pageId))
    throw new PushpageError('bad-request', `invalid ${what}: pageId must be a page id`);
  if (typeof componentId !== 'string' || !ID_PATTERN.test(componentId))
    throw new PushpageError('bad-request', `invalid ${what}: componentId must be a component id`);
  return { pageId, componentId, fields };
}
