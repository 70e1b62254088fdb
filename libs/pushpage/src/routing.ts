/**
 * Where Pushpage answers in your app. These are fixed when the module is defined (Nest maps
 * routes and gateways before any async options resolve), so they are given beside
 * `useFactory` in `forRootAsync({ ... })`, or with the options in `forRoot({ ... })`.
 */
export interface PushpageRoutes {
  /** Path of the REST API (`POST /api/pages`, ...), without the app's global prefix. Default `api/pages`. */
  apiPrefix?: string;
  /** Socket.IO namespace the tabs connect to (`/live`, say). Default `/`, the main namespace. */
  socketNamespace?: string;
}

/** Routes checked and normalized. */
export interface ResolvedRoutes {
  /** `api/pages`: no slash at either end, as Nest's `@Controller()` takes it. */
  apiPrefix: string;
  /** `/live`, or `/`. */
  socketNamespace: string;
}

export const DEFAULT_ROUTES: Required<PushpageRoutes> = {
  apiPrefix: 'api/pages',
  socketNamespace: '/',
};

const SEGMENT = /^[A-Za-z0-9._~-]+$/;

/** Checks and normalizes the routes; throws an error naming the bad option. */
export function resolveRoutes(routes: PushpageRoutes): ResolvedRoutes {
  const apiPrefix = (routes.apiPrefix ?? DEFAULT_ROUTES.apiPrefix).replace(/^\/+|\/+$/g, '');
  if (!apiPrefix.split('/').every((segment) => SEGMENT.test(segment))) {
    throw new Error(
      `Pushpage routes: apiPrefix ${JSON.stringify(routes.apiPrefix)} must be path segments ` +
        'of letters, digits and . _ ~ - (like "api/pages")',
    );
  }
  const namespace = (routes.socketNamespace ?? DEFAULT_ROUTES.socketNamespace).replace(
    /(.)\/+$/,
    '$1',
  );
  const namespaceOk =
    namespace === '/' ||
    (namespace.startsWith('/') &&
      namespace
        .slice(1)
        .split('/')
        .every((s) => SEGMENT.test(s)));
  if (!namespaceOk) {
    throw new Error(
      `Pushpage routes: socketNamespace ${JSON.stringify(routes.socketNamespace)} must start ` +
        'with / and hold letters, digits and . _ ~ - (like "/live")',
    );
  }
  return { apiPrefix, socketNamespace: namespace };
}

/** Injection token of the resolved routes. */
export const PUSHPAGE_ROUTES = Symbol('pushpage:routes');
