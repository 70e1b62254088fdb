/** The most children a component may hold unless the `maxChildren` option says otherwise. */
export const DEFAULT_MAX_CHILDREN = 10_000;

/**
 * The most bytes one scope (a page's own components, or a shared element's) may hold in the
 * store unless the `maxScopeBytes` option says otherwise: 4 MiB.
 */
export const DEFAULT_MAX_SCOPE_BYTES = 4 * 1024 * 1024;
