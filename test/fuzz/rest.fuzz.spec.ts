/**
 * Property-based fuzzing of the REST API against a real server (memory and Redis stores):
 * random JSON bodies for every endpoint, children reads with odd ids and `from`, raw bodies
 * (invalid JSON, other content types, invalid UTF-8, over 1 MB), random routes and queries,
 * mutated valid events (the message board flooded with messages up to 512 KiB among them),
 * hostile structures, and odd path segments. Every call must be answered with a status of the API
 * and, for an error, its `{ statusCode, code, message }` body; a refusal must change nothing;
 * the server must stay up and every stored page well formed.
 */
import * as fc from 'fast-check';
import {
  hostilePieces,
  budget,
  checkChildrenView,
  checkPageView,
  checkRestAnswer,
  checkServerUp,
  checkStoredPage,
  expectNoServerErrors,
  expectUnpolluted,
  firstDifference,
  FuzzServer,
  huge,
  idLike,
  isRecord,
  jsonish,
  plainAnything,
  plainKey,
  prototypeFingerprint,
  rest,
  RestAnswer,
  restJson,
  Runs,
  show,
  StoreKind,
  storeFingerprint,
  truncate,
  ViewNode,
  weirdScalar,
  weirdString,
  Body,
  bodyMutation,
  componentIdValue,
  eventIdValue,
  eventTypeValue,
  formValue,
  mutate,
  Mutation,
  valuesValue,
  hostileBodyText,
  BoardSize,
  boardSize,
  floodBoard,
  floodRefusal,
  floodText,
  expectAnswer,
} from '../support/fuzz-helpers';

const SCALE: Record<StoreKind, { runs: number; ms: number }> = {
  memory: { runs: 400, ms: 2000 },
  redis: { runs: 200, ms: 1200 },
};

const ROUTES = [
  '/',
  '/clock',
  '/message-board',
  '/countdown',
  '/hello',
  '/dashboard',
  '/editor',
  '/quasar',
];
const SHARED_ROUTES = new Set(['/clock', '/dashboard', '/editor']);
const EVENT_FIELDS = ['eventId', 'componentId', 'type', 'value', 'key', 'values'];

/** A page opened over REST, and the session that owns it. */
interface OpenPage {
  route: string;
  pageId: string;
  cookie: string;
  nodes: ViewNode[];
  shared: boolean;
  [fc.toStringMethod](): string;
}

type CookieChoice = 'a' | 'b' | 'none' | 'garbage' | 'tampered' | 'two';

describe.each<StoreKind>(['memory', 'redis'])('REST fuzzing, %s store', (kind) => {
  const scale = SCALE[kind];
  const runs = new Runs();
  let server: FuzzServer;
  let prototypes: string;
  let cookieA: string;
  let cookieB: string;
  const a: Record<'hello' | 'board' | 'quasar' | 'countdown', OpenPage> = {} as Record<
    'hello' | 'board' | 'quasar' | 'countdown',
    OpenPage
  >;
  const b: Record<'hello' | 'board', OpenPage> = {} as Record<'hello' | 'board', OpenPage>;
  let sharedPages: OpenPage[];
  /** The board before the runs flood it. */
  let boardBefore: BoardSize;
  /** Every page a call opened, and those a call closed: checked at the end. */
  const opened: OpenPage[] = [];
  const closed = new Set<string>();

  async function open(route: string, query?: Record<string, string>, cookie?: string) {
    const res = await restJson(
      server.url,
      'POST',
      '/api/pages',
      { route, ...(query ? { query } : {}) },
      cookie,
    );
    if (res.status !== 201) throw new Error(`opening ${route}: ${res.status} ${res.text}`);
    return pageOf(route, res, cookie);
  }

  function pageOf(route: string, res: RestAnswer, cookie?: string): OpenPage {
    const nodes = checkPageView(res.json);
    const setCookie = res.headers.get('set-cookie');
    const pageId = nodes[0].id;
    return {
      route,
      pageId,
      cookie: setCookie ? setCookie.split(';')[0] : (cookie ?? ''),
      nodes,
      shared: SHARED_ROUTES.has(route),
      [fc.toStringMethod]: () => `Page(${route} ${pageId})`,
    };
  }

  beforeAll(async () => {
    prototypes = prototypeFingerprint();
    server = await FuzzServer.start(kind);
    a.hello = await open('/hello');
    cookieA = a.hello.cookie;
    a.board = await open('/message-board', undefined, cookieA);
    a.quasar = await open('/quasar', undefined, cookieA);
    a.countdown = await open('/countdown', { num: '0' }, cookieA);
    b.hello = await open('/hello');
    cookieB = b.hello.cookie;
    b.board = await open('/message-board', undefined, cookieB);
    sharedPages = [await open('/editor'), await open('/clock'), await open('/dashboard')];
    boardBefore = await boardSize(server.url);
  }, 30_000);

  afterAll(async () => {
    await server?.stop();
  });

  function ownPages(): OpenPage[] {
    return [a.hello, a.board, a.quasar, a.countdown, b.hello, b.board];
  }

  function fingerprint(): Promise<string> {
    return storeFingerprint(
      server.app.store,
      ownPages().map((p) => p.pageId),
    );
  }

  function cookieOf(choice: CookieChoice): string | undefined {
    switch (choice) {
      case 'a':
        return cookieA;
      case 'b':
        return cookieB;
      case 'none':
        return undefined;
      case 'garbage':
        return 'pp_session=garbage';
      case 'tampered':
        return `${cookieA.slice(0, -1)}${cookieA.endsWith('A') ? 'B' : 'A'}`;
      case 'two':
        return `${cookieB}; ${cookieA}`;
    }
  }

  /**
   * Makes one call and checks the answer: a status in `success`, or an API error with its
   * JSON body; the server logs no error; a refusal changes no stored page.
   */
  async function call(
    what: () => string,
    send: () => Promise<RestAnswer>,
    success: readonly number[],
    opts: { unchangedEvenIfAccepted?: boolean } = {},
  ): Promise<{ res: RestAnswer; refused: string | null }> {
    const before = await fingerprint();
    const mark = server.errors.length;
    let res: RestAnswer;
    try {
      res = await send();
    } catch (error) {
      throw new Error(`${String(error)}\n${what()}`);
    }
    let refused: string | null;
    try {
      refused = checkRestAnswer('the call', res, success);
      expectNoServerErrors(server, mark, 'the call');
    } catch (error) {
      throw new Error(`${(error as Error).message}\n${what()}`);
    }
    if (refused !== null || opts.unchangedEvenIfAccepted) {
      const after = await fingerprint();
      if (after !== before)
        throw new Error(
          `${refused ? `a refused (${refused})` : 'an accepted'} call changed the store:\n${firstDifference(before, after)}\n${what()}`,
        );
    }
    return { res, refused };
  }

  /** Checks a successful answer's body; remembers a page it opened. */
  function checkSuccess(
    res: RestAnswer,
    route: string | null,
    cookie?: string,
    children = false,
  ): void {
    if (res.status >= 400) return;
    if (children) {
      if (res.status !== 200) throw new Error(`a children read answered ${res.status}`);
      checkChildrenView(res.json);
    } else if (res.status === 200 || res.status === 201) {
      const nodes = checkPageView(res.json);
      if (res.status === 201 && route !== null) opened.push(pageOf(route, res, cookie));
      if (nodes.length === 0) throw new Error('an empty page');
    } else if (res.text !== '') {
      throw new Error(`a ${res.status} answer with a body: ${truncate(res.text)}`);
    }
  }

  async function afterProperty(): Promise<void> {
    expectUnpolluted(prototypes);
    await checkServerUp(server.url);
  }

  // ---------------------------------------------------------------------------------
  // generators that need the pages
  // ---------------------------------------------------------------------------------

  const cookie: fc.Arbitrary<CookieChoice> = fc.constantFrom<CookieChoice>(
    'a',
    'a',
    'a',
    'b',
    'none',
    'garbage',
    'tampered',
    'two',
  );

  /** Path segments for `:pageId`: pages of both sessions, shared pages, odd text. */
  function pageIdSegment(): fc.Arbitrary<string> {
    return fc
      .oneof(
        {
          weight: 6,
          arbitrary: fc.constantFrom(...ownPages(), ...sharedPages).map((p) => p.pageId),
        },
        { weight: 2, arbitrary: idLike.map(encodeURIComponent) },
        {
          weight: 1,
          arbitrary: weirdString.map((s) => encodeURIComponent(s.replace(/[\uD800-\uDFFF]/g, 'x'))),
        },
        {
          weight: 1,
          arbitrary: fc.constantFrom(
            '%',
            '%E0%A4%A',
            '%ZZ',
            '%C0%AF',
            '%ED%A0%80',
            'x%00y',
            '%2F',
            '..%2F..%2Fhealthz',
            'a'.repeat(5000),
            '__proto__',
            'constructor',
          ),
        },
      )
      .filter(routed);
  }

  /**
   * Whether a `:pageId` segment reaches the API's routes: an empty segment, or `.` and
   * `..` (which URLs resolve away), make a path no route of the API serves.
   */
  function routed(segment: string): boolean {
    return segment !== '' && !/^(\.|%2e){1,2}$/i.test(segment);
  }

  /**
   * Paths of children reads: a component of the page named (mostly), or any segments, with
   * a `?from=` of any kind.
   */
  function childrenPath(): fc.Arbitrary<string> {
    const onPage = fc
      .constantFrom(...ownPages(), ...sharedPages)
      .chain((p) => fc.constantFrom(...p.nodes.map((n) => [p.pageId, n.id] as const)));
    const component = fc.oneof(
      { weight: 4, arbitrary: fc.constantFrom(...componentIds()) },
      { weight: 2, arbitrary: idLike.map(encodeURIComponent) },
      { weight: 1, arbitrary: fc.constantFrom('%', '%ZZ', 'x%00y', '__proto__', 'a'.repeat(70)) },
    );
    const anywhere = fc.tuple(pageIdSegment(), component.filter(routed));
    const where = fc.oneof({ weight: 3, arbitrary: onPage }, { weight: 2, arbitrary: anywhere });
    return fc
      .tuple(where, fromQuery)
      .map(([[page, id], from]) => `/api/pages/${page}/components/${id}/children${from}`);
  }

  /** `?from=` of a children read: indexes, odd numbers, text, repeats, nothing. */
  const fromQuery: fc.Arbitrary<string> = fc.oneof(
    { weight: 1, arbitrary: fc.constant('') },
    { weight: 3, arbitrary: fc.nat(600).map((n) => `?from=${n}`) },
    {
      weight: 2,
      arbitrary: fc
        .constantFrom(
          '-1',
          '1.5',
          '1e3',
          '',
          'x',
          '0x10',
          '99999999999999999999',
          '1&from=2',
          '%00',
        )
        .map((v) => `?from=${v}`),
    },
    { weight: 1, arbitrary: fc.constantFrom('?from[a]=1', '?from[]=1', '?other=1') },
  );

  /** Component ids of the pages under test, as they are now. */
  function componentIds(): string[] {
    return [...ownPages(), ...sharedPages].flatMap((p) => p.nodes.map((n) => n.id));
  }

  const routeValue: fc.Arbitrary<unknown> = fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(...ROUTES) },
    {
      weight: 3,
      arbitrary: fc
        .tuple(
          fc.constantFrom(...ROUTES),
          fc.constantFrom('/', '?x=1', '#', '/..', '%20', ' ', '\u0000', '//', '.html'),
        )
        .map(([r, tail]) => r + tail),
    },
    {
      weight: 1,
      arbitrary: fc.constantFrom(
        '',
        'hello',
        '//hello',
        '/HELLO',
        '/api/pages',
        '/healthz',
        '/pushpage/socket.io',
        `/${'a'.repeat(199)}`,
        `/${'a'.repeat(200)}`,
        '/__proto__',
        '/constructor',
      ),
    },
    { weight: 2, arbitrary: fc.webPath() },
    { weight: 1, arbitrary: weirdString.map((s) => `/${s}`) },
    { weight: 1, arbitrary: weirdScalar },
  );

  const queryValue: fc.Arbitrary<unknown> = fc.oneof(
    { weight: 3, arbitrary: fc.dictionary(plainKey, weirdString, { maxKeys: 5 }) },
    {
      weight: 3,
      arbitrary: fc.record(
        {
          num: fc.oneof(
            fc.constantFrom(
              '0',
              '1',
              '-1',
              '100',
              '101',
              '1e9',
              '0x10',
              ' 5',
              'NaN',
              'Infinity',
              '',
            ),
            weirdString,
          ),
          animation: fc.oneof(
            fc.constantFrom('flip', 'zoomIn', 'a'.repeat(41), '<b>'),
            weirdString,
          ),
        },
        { requiredKeys: [] },
      ),
    },
    { weight: 1, arbitrary: fc.dictionary(plainKey, weirdScalar, { maxKeys: 4 }) },
    {
      weight: 1,
      arbitrary: fc
        .constantFrom(49, 50, 51)
        .map((n) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, 'v']))),
    },
    { weight: 1, arbitrary: fc.constantFrom({ num: 'x'.repeat(2000) }, { num: 'x'.repeat(2001) }) },
    { weight: 1, arbitrary: weirdScalar },
    { weight: 1, arbitrary: fc.array(weirdString, { maxLength: 3 }) },
  );

  /** Random bodies with the API's field names and anything as their values. */
  function nearValid(): fc.Arbitrary<Body> {
    return fc
      .tuple(
        fc.record(
          {
            route: routeValue,
            query: queryValue,
            componentId: componentIdValue(componentIds()),
            type: eventTypeValue,
            value: formValue,
            key: fc.oneof(weirdString, weirdScalar),
            values: valuesValue(componentIds()),
            eventId: eventIdValue,
          },
          { requiredKeys: [] },
        ),
        fc.option(fc.tuple(plainKey, weirdScalar), { freq: 4 }),
      )
      .map(([body, extra]) => (extra ? { ...body, [extra[0]]: extra[1] } : body));
  }

  // ---------------------------------------------------------------------------------
  // properties
  // ---------------------------------------------------------------------------------

  it('answers random bodies on every endpoint with an API status and error shape', async () => {
    const body = fc.oneof(
      { weight: 3, arbitrary: plainAnything },
      { weight: 3, arbitrary: jsonish(plainKey) },
      { weight: 6, arbitrary: nearValid() },
      { weight: 1, arbitrary: huge },
    );
    // DELETE only where no session of the fuzzer may close a page it fuzzes
    const deletable = fc.oneof(
      fc.constantFrom(...sharedPages, b.hello, b.board).map((p) => p.pageId),
      idLike.map(encodeURIComponent).filter(routed),
    );
    const request = fc.oneof(
      body.map((sent) => ({ method: 'POST', path: '/api/pages', sent, success: [201] })),
      fc.tuple(pageIdSegment(), body).map(([id, sent]) => ({
        method: 'POST',
        path: `/api/pages/${id}/events`,
        sent,
        success: [200, 204],
      })),
      pageIdSegment().map((id) => ({
        method: 'GET',
        path: `/api/pages/${id}`,
        sent: undefined as unknown,
        success: [200],
      })),
      childrenPath().map((path) => ({
        method: 'GET',
        path,
        sent: undefined as unknown,
        success: [200],
      })),
      deletable.map((id) => ({
        method: 'DELETE',
        path: `/api/pages/${id}`,
        sent: undefined as unknown,
        success: [204],
      })),
    );
    await runs.assert(
      runs.property(request, cookie, async ({ method, path, sent, success }, who) => {
        const sentCookie =
          method === 'DELETE' && (who === 'b' || who === 'two') ? cookieA : cookieOf(who);
        const { res } = await call(
          () => `${method} ${truncate(path, 120)} (${who}) ${show(sent)}`,
          () =>
            rest(server.url, method, path, {
              body: sent === undefined ? undefined : JSON.stringify(sent),
              headers: {
                ...(sent === undefined ? {} : { 'content-type': 'application/json' }),
                ...(sentCookie ? { cookie: sentCookie } : {}),
              },
            }),
          success,
        );
        const route = isRecord(sent) && typeof sent.route === 'string' ? sent.route : null;
        const cookieKept = res.headers.get('set-cookie') ? undefined : sentCookie;
        checkSuccess(res, route, cookieKept, path.includes('/components/'));
      }),
      budget(scale.runs, scale.ms),
    );
    await afterProperty();
  }, 60_000);

  it('answers raw bodies: invalid JSON, other content types, invalid UTF-8, over 1 MB', async () => {
    const hello = a.hello.nodes.find((n) => n.events?.includes('click'));
    if (!hello) throw new Error('no hello');
    const validText = fc.constantFrom(
      JSON.stringify({ route: '/hello' }),
      JSON.stringify({ route: '/countdown', query: { num: '3' } }),
      JSON.stringify({ componentId: hello.id, type: 'click' }),
    );
    const text: fc.Arbitrary<string | Uint8Array<ArrayBuffer>> = fc.oneof(
      validText,
      fc.constantFrom(
        '{"route":',
        '{',
        '[',
        'nul',
        '{"a":1,}',
        "{'route':'/hello'}",
        '{"route":"/hello"}garbage',
        '\uFEFF{"route":"/hello"}',
        '',
        ' ',
        'NaN',
        '1e999999',
        '"\\ud800"',
        '{"route":"\\ud800"}',
        '{"route":"/hello","route":"/clock"}',
        '{"componentId":"x","type":"click","type":"input"}',
        'null',
        'true',
        '"a string"',
        '[{"route":"/hello"}]',
        '\u0000',
      ),
      fc.string({ unit: 'binary', maxLength: 40 }),
      fc
        .tuple(validText, fc.nat(), fc.nat({ max: 3 }), fc.string({ maxLength: 3 }))
        .map(([t, at, cut, insert]) => {
          const i = at % (t.length + 1);
          return t.slice(0, i) + insert + t.slice(i + cut);
        }),
      fc
        .oneof(
          fc.uint8Array({ maxLength: 40 }),
          fc.constantFrom(
            [0xff, 0xfe],
            [0xc0, 0xaf],
            [0xed, 0xa0, 0x80],
            [0xf4, 0x90, 0x80, 0x80],
            [0x7b, 0x22, 0x72, 0x6f, 0x75, 0x74, 0x65, 0x22, 0x3a, 0x22, 0xff, 0x22, 0x7d],
          ),
        )
        .map((bytes) => new Uint8Array(bytes)),
      fc
        .constantFrom(1024 * 1024 + 1, 1100 * 1024, 3 * 1024 * 1024)
        .map((n) => `{"route":"/hello","query":{"q":"${'x'.repeat(n)}"}}`),
    );
    const contentType = fc.constantFrom(
      'application/json',
      'application/json',
      'application/json; charset=utf-8',
      'APPLICATION/JSON',
      'text/plain',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=x',
      'application/xml',
      'application/vnd.api+json',
      'application/json; charset=UTF-8',
      '',
    );
    // encodings the body parser inflates (unsupported ones have a test of their own)
    const encoding = fc.option(fc.constantFrom('gzip', 'deflate', 'br', 'identity'), {
      freq: 4,
    });
    const target = fc.constantFrom(
      { path: '/api/pages', success: [201], route: true },
      { path: `/api/pages/${a.hello.pageId}/events`, success: [200, 204], route: false },
    );
    await runs.assert(
      runs.property(text, contentType, encoding, target, async (sent, type, enc, to) => {
        const size = typeof sent === 'string' ? Buffer.byteLength(sent) : sent.byteLength;
        const { res } = await call(
          () =>
            `POST ${to.path} content-type ${JSON.stringify(type)}${enc ? ` encoding ${enc}` : ''} body ${size > 200 ? `(${size} bytes)` : show(typeof sent === 'string' ? sent : Array.from(sent))}`,
          () =>
            rest(server.url, 'POST', to.path, {
              body: sent,
              headers: {
                ...(type ? { 'content-type': type } : {}),
                ...(enc ? { 'content-encoding': enc } : {}),
                cookie: cookieA,
              },
            }),
          to.success,
        );
        if (
          size > 1024 * 1024 &&
          (type === 'application/json' || type === 'application/json; charset=utf-8') &&
          (enc === null || enc === 'identity') &&
          res.status !== 413
        )
          throw new Error(`a ${size}-byte JSON body was answered ${res.status}, not 413`);
        checkSuccess(res, to.route ? '(raw)' : null, cookieA);
      }),
      budget(scale.runs, scale.ms * 0.7),
    );
    await afterProperty();
  }, 60_000);

  it('opens pages of random routes and queries, or refuses them; closes its own only', async () => {
    await runs.assert(
      runs.property(
        routeValue,
        fc.option(queryValue, { freq: 2 }),
        fc.constantFrom<CookieChoice>('a', 'none', 'garbage'),
        fc.constantFrom<'keep' | 'own' | 'other' | 'none'>('keep', 'keep', 'own', 'other', 'none'),
        async (route, query, who, close) => {
          const sent: Body = { route, ...(query === null ? {} : { query }) };
          const sentCookie = cookieOf(who);
          const { res } = await call(
            () => `POST /api/pages ${show(sent)} (${who})`,
            () => restJson(server.url, 'POST', '/api/pages', sent, sentCookie),
            [201],
          );
          if (res.status !== 201) return;
          if (typeof route !== 'string' || !ROUTES.includes(route))
            throw new Error(`POST /api/pages opened ${show(route)}, which no page serves`);
          const page = pageOf(route, res, sentCookie);
          opened.push(page);
          if (close === 'keep') return;
          const closeCookie =
            close === 'own' ? page.cookie : close === 'other' ? cookieB : undefined;
          const { res: answer } = await call(
            () => `DELETE ${page.pageId} of ${route} (${close})`,
            () =>
              rest(server.url, 'DELETE', `/api/pages/${page.pageId}`, {
                headers: closeCookie ? { cookie: closeCookie } : {},
              }),
            [204],
          );
          const closedIt = answer.status === 204;
          if (closedIt && (page.shared || close !== 'own'))
            throw new Error(`DELETE (${close}) closed ${route} page ${page.pageId}`);
          if (closedIt) closed.add(page.pageId);
          const read = await rest(server.url, 'GET', `/api/pages/${page.pageId}`, {
            headers: page.cookie ? { cookie: page.cookie } : {},
          });
          if (read.status !== (closedIt ? 404 : 200))
            throw new Error(`GET after DELETE (${close}, ${answer.status}): ${read.status}`);
        },
      ),
      budget(scale.runs, scale.ms * 0.7),
    );
    await afterProperty();
  }, 60_000);

  // valid events of session A to mutate
  interface Template {
    name: string;
    page: OpenPage;
    body: Body;
    /** The codes the body, sent as it is, must be refused with; none: it must apply. */
    refusedWith?: readonly string[];
    [fc.toStringMethod](): string;
  }

  function templates(): fc.Arbitrary<Template> {
    const node = (page: OpenPage, tag: string): string => {
      const found = page.nodes.find((n) => n.tag === tag);
      if (!found) throw new Error(`no ${tag} on ${page.route}`);
      return found.id;
    };
    const event = (
      name: string,
      page: OpenPage,
      body: Body,
      refusedWith?: readonly string[],
    ): Template => ({
      name,
      page,
      body,
      refusedWith,
      [fc.toStringMethod]: () => `${name} ${show(body)}`,
    });
    const textarea = node(a.board, 'textarea');
    const hellos = a.hello.nodes.filter((n) => n.events?.includes('click')).map((n) => n.id);
    const text = fc.string({ maxLength: 20 });
    return fc.oneof(
      fc
        .constantFrom(...hellos)
        .map((id) => event('click a hello', a.hello, { componentId: id, type: 'click' })),
      text.map((value) =>
        event('type into the board', a.board, { componentId: textarea, type: 'input', value }),
      ),
      fc.option(fc.string({ minLength: 1, maxLength: 20 })).map((value) =>
        event('send a message', a.board, {
          componentId: node(a.board, 'button'),
          type: 'click',
          ...(value === null ? {} : { values: [{ id: textarea, value }] }),
        }),
      ),
      floodText.map((value) =>
        event(
          'flood the board',
          a.board,
          {
            componentId: node(a.board, 'button'),
            type: 'click',
            values: [{ id: textarea, value }],
          },
          floodRefusal(value),
        ),
      ),
      text.map((value) =>
        event('type a name', a.quasar, {
          componentId: node(a.quasar, 'q-input'),
          type: 'input',
          value,
        }),
      ),
      fc.constantFrom('small', 'medium', 'large', null).map((value) =>
        event('choose a size', a.quasar, {
          componentId: node(a.quasar, 'q-select'),
          type: 'change',
          value,
        }),
      ),
      fc.integer({ min: 1, max: 10 }).map((value) =>
        event('choose how many', a.quasar, {
          componentId: node(a.quasar, 'q-slider'),
          type: 'change',
          value,
        }),
      ),
      fc.boolean().map((value) =>
        event('toggle cheese', a.quasar, {
          componentId: node(a.quasar, 'q-toggle'),
          type: 'change',
          value,
        }),
      ),
      fc.constant(
        event('order', a.quasar, { componentId: node(a.quasar, 'q-btn'), type: 'click' }),
      ),
      fc.constant(
        event('start the countdown', a.countdown, {
          componentId: node(a.countdown, 'button'),
          type: 'click',
        }),
      ),
    );
  }

  function mutation(): fc.Arbitrary<Mutation> {
    const ids = componentIds();
    return bodyMutation(
      {
        componentId: componentIdValue(ids),
        type: eventTypeValue,
        value: formValue,
        key: fc.oneof(weirdString, weirdScalar),
        values: valuesValue(ids),
        eventId: eventIdValue,
        pageId: fc.oneof(idLike, weirdScalar),
      },
      EVENT_FIELDS,
    );
  }

  it('applies or refuses mutated valid events; a refusal changes nothing (ETag still 304)', async () => {
    const otherPath = fc.oneof(
      fc.constantFrom(...ownPages(), ...sharedPages).map((p) => p.pageId),
      pageIdSegment(),
    );
    await runs.assert(
      runs.property(
        templates(),
        fc.array(mutation(), { maxLength: 3 }),
        fc.oneof({ weight: 5, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: otherPath }),
        fc.option<CookieChoice, null>(cookie, { freq: 3 }),
        fc.constantFrom<'none' | 'same' | 'evil'>('none', 'none', 'same', 'evil'),
        async (
          template: Template,
          mutations: Mutation[],
          path: string | null,
          who: CookieChoice | null,
          origin: 'none' | 'same' | 'evil',
        ) => {
          const pageId = path ?? template.page.pageId;
          const body = mutate(template.body, mutations);
          const sentCookie = who === null ? cookieA : cookieOf(who);
          const etag = (
            await rest(server.url, 'GET', `/api/pages/${template.page.pageId}`, {
              headers: { cookie: cookieA },
            })
          ).headers.get('etag');
          const { res, refused } = await call(
            () =>
              `${template.name} on ${truncate(pageId, 80)} (${who ?? 'a'}, origin ${origin}) mutated ${show(mutations)}: ${show(body)}`,
            () =>
              rest(server.url, 'POST', `/api/pages/${pageId}/events`, {
                body: JSON.stringify(body),
                headers: {
                  'content-type': 'application/json',
                  ...(sentCookie ? { cookie: sentCookie } : {}),
                  ...(origin === 'none'
                    ? {}
                    : { origin: origin === 'same' ? server.url : 'https://evil.example' }),
                },
              }),
            [200, 204],
          );
          // cross-site request forgery: an event from another origin is never applied
          if (origin === 'evil' && res.status < 400)
            throw new Error(`a cross-origin event was applied (${res.status})`);
          if (res.status === 200) checkPageView(res.json, pageId);
          else checkSuccess(res, null);
          // the unmutated event applies, or an oversized message is refused
          if (mutations.length === 0 && path === null && who === null && origin !== 'evil')
            expectAnswer(
              template.refusedWith,
              refused,
              () => `${res.status} ${truncate(res.text)}`,
            );
          if (refused && etag) {
            const poll = await rest(server.url, 'GET', `/api/pages/${template.page.pageId}`, {
              headers: { cookie: cookieA, 'if-none-match': etag },
            });
            if (poll.status !== 304)
              throw new Error(`after a refused event the page answers ${poll.status}, not 304`);
          }
        },
      ),
      budget(scale.runs, scale.ms * 1.2),
    );
    await afterProperty();
  }, 60_000);

  /**
   * A request under `/api/pages` that the API's routes do not take (another method, an empty
   * or dot `:pageId` segment) and a body in a charset or content encoding the parser does not
   * support both get the API's error shape. (Other `/api/...` paths belong to the app, and
   * `..` segments leave `/api/pages` before the request is sent.)
   */
  it('answers unrouted API requests and unsupported charsets in the API error shape', async () => {
    const unrouted = fc.oneof(
      fc.constantFrom('', '.', '%2e').map((segment) => ({
        path: `/api/pages/${segment}`,
        method: 'GET',
      })),
      fc.constantFrom('', '.').map((segment) => ({
        path: `/api/pages/${segment}/events`,
        method: 'POST',
      })),
      fc
        .tuple(
          fc.constantFrom('PUT', 'PATCH', 'GET', 'DELETE', 'POST'),
          fc.constantFrom(
            '/api/pages',
            `/api/pages/${a.hello.pageId}`,
            `/api/pages/${a.hello.pageId}/events`,
            `/api/pages/${a.hello.pageId}/events/x`,
            '/api/pages/x/y',
          ),
        )
        .filter(
          ([method, p]) =>
            !(method === 'POST' && (p === '/api/pages' || p.endsWith('/events'))) &&
            !((method === 'GET' || method === 'DELETE') && p === `/api/pages/${a.hello.pageId}`),
        )
        .map(([method, p]) => ({ path: p, method })),
    );
    const unsupported = fc
      .tuple(
        fc.constantFrom(
          'application/json; charset=latin1',
          'application/json; charset=utf-16',
          'application/json; charset=nonsense',
          'application/json',
        ),
        fc.constantFrom(undefined, 'x-unknown', 'compress'),
      )
      .filter(([type, enc]) => type !== 'application/json' || enc !== undefined)
      .map(([type, enc]) => ({ path: '/api/pages', method: 'POST', type, encoding: enc }));
    await runs.assert(
      runs.property(
        fc.oneof(
          unrouted.map((p) => ({ ...p, type: 'application/json', encoding: undefined })),
          unsupported,
        ),
        async ({ path, method, type, encoding }) => {
          const withBody = method === 'POST' || method === 'PUT' || method === 'PATCH';
          await call(
            () => `${method} ${path} (${type}${encoding ? `, ${encoding}` : ''})`,
            () =>
              rest(server.url, method, path, {
                body: withBody ? JSON.stringify({ route: '/hello' }) : undefined,
                headers: {
                  ...(withBody ? { 'content-type': type } : {}),
                  ...(encoding ? { 'content-encoding': encoding } : {}),
                  cookie: cookieA,
                },
              }),
            [],
          );
        },
      ),
      budget(40, scale.ms * 0.3),
    );
    await afterProperty();
  }, 60_000);

  /**
   * In a test of its own because it fails today (see the fuzz report): bodies with an own
   * `constructor` key below the top level, or nested some thousand levels deep, get a
   * `500` instead of a `400`.
   */
  it('refuses prototype keys and deep nesting with a 4xx, and pollutes nothing', async () => {
    const hello = a.hello.nodes.find((n) => n.events?.includes('click'));
    const textarea = a.board.nodes.find((n) => n.tag === 'textarea');
    if (!hello || !textarea) throw new Error('no hello or textarea');
    const bases: [string, Body][] = [
      [`/api/pages/${a.hello.pageId}/events`, { componentId: hello.id, type: 'click' }],
      [
        `/api/pages/${a.board.pageId}/events`,
        {
          componentId: textarea.id,
          type: 'input',
          value: 'x',
          values: [{ id: textarea.id, value: 'y' }],
        },
      ],
      ['/api/pages', { route: '/countdown', query: { num: '1' } }],
    ];
    const hostile = hostilePieces(['"x"', '{"constructor":1}', '{"__proto__":{"polluted":1}}']);
    const where = fc.constantFrom(
      'componentId',
      'type',
      'value',
      'values',
      'key',
      'route',
      'query',
      '__proto__',
      'constructor',
      'prototype',
      '(whole body)',
      '(inside values[0])',
    );
    await runs.assert(
      runs.property(fc.nat(bases.length - 1), where, hostile, async (i, at, part) => {
        const [path, base] = bases[i];
        const bodyText = hostileBodyText(base, at, part.text);
        const { res } = await call(
          () => `POST ${path} with ${at} = ${part[fc.toStringMethod]()}`,
          () =>
            rest(server.url, 'POST', path, {
              body: bodyText,
              headers: { 'content-type': 'application/json', cookie: cookieA },
            }),
          path === '/api/pages' ? [201] : [200, 204],
        );
        checkSuccess(res, path === '/api/pages' ? '/countdown' : null, cookieA);
        expectUnpolluted(prototypes);
      }),
      budget(scale.runs, scale.ms * 0.8),
    );
    await afterProperty();
  }, 60_000);

  it('floods the board: a message past its maxLength is refused with 413 too-large, storing nothing', async () => {
    const say = async (page: OpenPage, text: unknown) => {
      const node = (tag: string) => page.nodes.find((n) => n.tag === tag)?.id;
      const body = {
        componentId: node('button'),
        type: 'click',
        values: [{ id: node('textarea'), value: text }],
      };
      const what = () => `send a message on ${page.pageId}: ${show(body)}`;
      const { refused } = await call(
        what,
        () => restJson(server.url, 'POST', `/api/pages/${page.pageId}/events`, body, page.cookie),
        [200],
      );
      return { answer: refused, what };
    };
    const params = budget(Math.round(scale.runs / 4), scale.ms * 0.3);
    await floodBoard(runs, [a.board, b.board], say, params, server.url, boardBefore);
    await afterProperty();
  }, 60_000);

  it('leaves every page well formed; closed pages are gone, the others readable', async () => {
    const pages = [...ownPages(), ...sharedPages, ...opened];
    for (const page of pages) {
      const read = await rest(server.url, 'GET', `/api/pages/${page.pageId}`, {
        headers: page.cookie ? { cookie: page.cookie } : {},
      });
      if (closed.has(page.pageId)) {
        expect(read.status).toBe(404);
        expect(await server.app.store.load([page.pageId], 'self')).toEqual([]);
        continue;
      }
      if (read.status !== 200)
        throw new Error(`GET ${page.route} page ${page.pageId}: ${read.status} ${read.text}`);
      checkPageView(read.json, page.pageId);
      if ((await checkStoredPage(server.app.store, page.pageId)) === null)
        throw new Error(`page ${page.pageId} is readable but not stored`);
    }
    await afterProperty();
  }, 30_000);
});
