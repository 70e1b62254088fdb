import {
  matchRoute,
  MAX_ROUTE_PARAM_LENGTH,
  parseRoutePattern,
  RouteParams,
  routeParamsOf,
} from '../../../libs/pushpage/src/edges/http/route-pattern';
import { PushpageError } from '../../../libs/pushpage/src/errors';

describe('route patterns', () => {
  it('matches a path exactly, as the REST API takes it', () => {
    const route = parseRoutePattern('/message-board');
    expect(matchRoute(route, '/message-board')).toEqual({});
    expect(matchRoute(route, '/Message-Board')).toBeUndefined();
    expect(matchRoute(route, '/message-board/')).toBeUndefined();
    expect(matchRoute(route, '/message-board/x')).toBeUndefined();
    expect(matchRoute(parseRoutePattern('/'), '/')).toEqual({});
    expect(matchRoute(parseRoutePattern('/'), '/x')).toBeUndefined();
  });

  it('takes the parameters Express decoded for a page’s GET, bounded', () => {
    const route = parseRoutePattern('/greet/:name');
    expect(routeParamsOf(route, { name: 'Ada Lovelace', other: 'x' })).toEqual({
      name: 'Ada Lovelace',
    });
    expect(() => routeParamsOf(route, { name: 'a'.repeat(MAX_ROUTE_PARAM_LENGTH + 1) })).toThrow(
      /at most 200/,
    );
  });

  it('takes :name segments as parameters, decoded', () => {
    const route = parseRoutePattern('/greet/:name/from/:town');
    expect(route.paramCount).toBe(2);
    expect(matchRoute(route, '/greet/Ada%20Lovelace/from/London')).toEqual({
      name: 'Ada Lovelace',
      town: 'London',
    });
    expect(matchRoute(route, '/greet/%3Cb%3E/from/%2F')).toEqual({ name: '<b>', town: '/' });
    expect(matchRoute(route, '/greet//from/London')).toBeUndefined();
    expect(matchRoute(route, '/greet/Ada/from')).toBeUndefined();
  });

  it('refuses a parameter that is badly encoded or too long', () => {
    const route = parseRoutePattern('/greet/:name');
    expect(() => matchRoute(route, '/greet/%E0%A4%A')).toThrow(PushpageError);
    expect(() => matchRoute(route, '/greet/%E0%A4%A')).toThrow(/not valid URL encoding/);
    const long = 'a'.repeat(MAX_ROUTE_PARAM_LENGTH + 1);
    expect(() => matchRoute(route, `/greet/${long}`)).toThrow(/at most 200/);
    expect(matchRoute(route, `/greet/${long.slice(1)}`)).toEqual({ name: long.slice(1) });
  });

  it('refuses patterns the REST API could not match as Express does', () => {
    expect(() => parseRoutePattern('greet')).toThrow(/must start with \//);
    expect(() => parseRoutePattern('/greet/:name/:name')).toThrow(/names :name twice/);
    expect(() => parseRoutePattern('/files/*path')).toThrow(/must be text or a whole :name/);
    expect(() => parseRoutePattern('/a-:b')).toThrow(/must be text or a whole :name/);
    expect(() => parseRoutePattern('/greet/:name?')).toThrow(/must be text or a whole :name/);
  });

  it('types the parameters from the pattern', () => {
    const params: RouteParams<'/greet/:name/from/:town'> = { name: 'Ada', town: 'London' };
    // @ts-expect-error a pattern without :who has no params.who
    const missing: RouteParams<'/greet/:name'> = { who: 'Ada' };
    const any: RouteParams = { whatever: 'x' };
    expect([params.town, missing, any.whatever]).toEqual(['London', { who: 'Ada' }, 'x']);
  });
});
