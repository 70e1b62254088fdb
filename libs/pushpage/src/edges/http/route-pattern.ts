import { PushpageError } from '../../errors';

/** The names of the `:param` segments of a route pattern: `'/a/:x/b/:y'` gives `'x' | 'y'`. */
export type RouteParamNames<R extends string> = R extends `${string}/:${infer Rest}`
  ? Rest extends `${infer Name}/${infer Tail}`
    ? Name | RouteParamNames<`/${Tail}`>
    : Rest
  : never;

/**
 * The parameters of a route pattern, by name: `RouteParams<'/greet/:name'>` is
 * `{ readonly name: string }`. A pattern TypeScript does not know (`string`) gives a record.
 */
export type RouteParams<R extends string = string> = string extends R
  ? Readonly<Record<string, string>>
  : { readonly [K in RouteParamNames<R>]: string };

/** The longest a parameter may be, decoded; a longer one is refused. */
export const MAX_ROUTE_PARAM_LENGTH = 200;

const PARAM_SEGMENT = /^:([A-Za-z_][A-Za-z0-9_]*)$/;
const LITERAL_SEGMENT = /^[A-Za-z0-9._~$&',;=@%-]*$/;

/** A `@PageRoute` path, checked and split into its segments. */
export interface RoutePattern {
  /** The pattern as written: `/greet/:name`. */
  readonly pattern: string;
  /** Each segment: literal text or a parameter. */
  readonly segments: readonly ({ literal: string } | { param: string })[];
  /** How many parameters it has: literal routes are tried before routes with parameters. */
  readonly paramCount: number;
}

/**
 * Checks a route pattern: literal segments and whole `:name` segments only, so that the page
 * route Express serves and the REST API's lookup of it agree. Throws an error naming the problem.
 */
export function parseRoutePattern(pattern: string): RoutePattern {
  if (!pattern.startsWith('/')) throw new Error(`page route "${pattern}" must start with /`);
  const segments: RoutePattern['segments'][number][] = [];
  const names = new Set<string>();
  for (const segment of splitPath(pattern)) {
    const param = PARAM_SEGMENT.exec(segment);
    if (param) {
      if (names.has(param[1])) throw new Error(`page route "${pattern}" names :${param[1]} twice`);
      names.add(param[1]);
      segments.push({ param: param[1] });
    } else if (!LITERAL_SEGMENT.test(segment)) {
      throw new Error(
        `page route "${pattern}": segment "${segment}" must be text or a whole :name parameter`,
      );
    } else {
      segments.push({ literal: segment });
    }
  }
  return { pattern, segments, paramCount: names.size };
}

/**
 * The parameters of `path` (without its query) if `route` matches it exactly (the REST API's
 * `route`), decoded; `undefined` if it does not match. A parameter that is not valid
 * percent-encoding, or longer than {@link MAX_ROUTE_PARAM_LENGTH} decoded, is refused with a
 * `bad-request` error.
 */
export function matchRoute(route: RoutePattern, path: string): Record<string, string> | undefined {
  const parts = splitPath(path);
  if (parts.length !== route.segments.length) return undefined;
  const params: Record<string, string> = {};
  for (const [index, segment] of route.segments.entries()) {
    const part = parts[index];
    if ('literal' in segment) {
      if (part !== segment.literal) return undefined;
      continue;
    }
    if (part === '') return undefined;
    params[segment.param] = checkedParam(segment.param, decodeParam(segment.param, part));
  }
  return params;
}

/**
 * The route's parameters from those Express matched and decoded for a page's GET (which
 * also takes other cases and a trailing slash), each checked against
 * {@link MAX_ROUTE_PARAM_LENGTH}.
 */
export function routeParamsOf(
  route: RoutePattern,
  decoded: Readonly<Record<string, unknown>>,
): Record<string, string> {
  const params: Record<string, string> = {};
  for (const segment of route.segments) {
    if (!('param' in segment)) continue;
    const value = decoded[segment.param];
    params[segment.param] = checkedParam(segment.param, typeof value === 'string' ? value : '');
  }
  return params;
}

/** The segments of a pattern. */
function splitPath(path: string): string[] {
  return path.split('/').slice(1);
}

function decodeParam(name: string, raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    throw new PushpageError('bad-request', `route parameter ${name} is not valid URL encoding`);
  }
}

function checkedParam(name: string, value: string): string {
  if (value.length > MAX_ROUTE_PARAM_LENGTH) {
    throw new PushpageError(
      'bad-request',
      `route parameter ${name} is ${value.length} characters long; at most ${MAX_ROUTE_PARAM_LENGTH}`,
    );
  }
  return value;
}
