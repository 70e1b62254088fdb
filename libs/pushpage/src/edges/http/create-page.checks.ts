import { ValidateBy } from 'class-validator';

/** The most characters of the route `POST /api/pages` opens. */
export const MAX_ROUTE_LENGTH = 200;
/** The most query parameters of a page opened over the API. */
export const MAX_QUERY_ENTRIES = 50;
/** The most characters of a query parameter's value. */
export const MAX_QUERY_VALUE_LENGTH = 2000;

function routeProblem(route: unknown): string | undefined {
  if (typeof route !== 'string' || !route.startsWith('/'))
    return 'route must be a path that starts with /';
  if (route.length > MAX_ROUTE_LENGTH)
    return `route must be a path of at most ${MAX_ROUTE_LENGTH} characters`;
  return undefined;
}

function queryProblem(query: unknown): string | undefined {
  if (typeof query !== 'object' || query === null || Array.isArray(query))
    return 'query must be an object of strings';
  const values = Object.values(query);
  if (
    values.length > MAX_QUERY_ENTRIES ||
    values.some((v) => typeof v !== 'string' || v.length > MAX_QUERY_VALUE_LENGTH)
  )
    return (
      `query must be an object of at most ${MAX_QUERY_ENTRIES} strings of at most ` +
      `${MAX_QUERY_VALUE_LENGTH} characters`
    );
  return undefined;
}

/** A property decorator that refuses a value `problem` finds something wrong with, saying what. */
function checkedBy(
  name: string,
  problem: (value: unknown) => string | undefined,
): PropertyDecorator {
  return ValidateBy({
    name,
    validator: {
      validate: (value: unknown) => problem(value) === undefined,
      defaultMessage: (args) => problem(args?.value) ?? `${name} refused it`,
    },
  });
}

/** Property decorator: a path to open, `/` first, at most {@link MAX_ROUTE_LENGTH} long. */
export const IsRoute = (): PropertyDecorator => checkedBy('isRoute', routeProblem);

/** Property decorator: query parameters, names to text, within the limits above. */
export const IsQuery = (): PropertyDecorator => checkedBy('isQuery', queryProblem);
