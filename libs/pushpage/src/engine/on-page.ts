import { PushpageError } from '../errors';
import { Component, nearestScope } from '../model/component';
import { UnitOfWork } from './unit-of-work';

/** Ids of the scopes a loaded page shows: the page and the shared elements on it. */
export function* walkLoadedScopes(page: Component): Generator<string> {
  const stack: Component[] = [page];
  const seen = new Set<Component>();
  while (stack.length > 0) {
    const c = stack.pop() as Component;
    if (seen.has(c)) continue;
    seen.add(c);
    if (c._s.scope) yield c.id;
    if (c._s.children) stack.push(...c._s.children);
  }
}

/**
 * A component of a loaded page (in one of `pageScopes`, see {@link walkLoadedScopes}),
 * loading its scope if need be; `not-found` if the page does not show it.
 */
export async function findOnPage(
  uow: UnitOfWork,
  pageScopes: Set<string>,
  pageId: string,
  id: string,
): Promise<Component> {
  const loaded = uow.get(id);
  const home = loaded && nearestScope(loaded);
  if (loaded && home && pageScopes.has(home.id)) return loaded;
  const found = await uow.loadWithScope(id, [pageId]);
  const scope = found.scopes[0];
  if (!found.component || scope === undefined || !pageScopes.has(scope)) {
    throw new PushpageError('not-found', `component ${id} is not on page ${pageId}`);
  }
  return found.component;
}
