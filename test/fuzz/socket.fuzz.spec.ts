/**
 * Property-based fuzzing of the Socket.IO protocol against a real server (memory and Redis
 * stores): random and mutated `event`, `join`, `resync`, `more` and `doc` messages (the
 * message board flooded with messages up to 512 KiB among them), hostile structures sent as
 * raw frames, and malformed Socket.IO packets. Every message must be
 * acknowledged as an error or a valid result, a refusal must change nothing, the server
 * must stay up, and every stored page must stay well formed.
 */
import * as fc from 'fast-check';
import * as Y from 'yjs';
import {
  hostilePieces,
  budget,
  checkAck,
  checkPageView,
  checkServerUp,
  checkSnapshot,
  checkStoredPage,
  CLIENT_ERROR_CODES,
  describeOutcome,
  ERROR_CODES,
  docFingerprint,
  edgeNumber,
  expectNoServerErrors,
  expectUnpolluted,
  firstDifference,
  FuzzServer,
  huge,
  idLike,
  isRecord,
  jsonish,
  many,
  MAX_FRAME_BYTES,
  nodeOf,
  Outcome,
  plainAnything,
  plainKey,
  prototypeFingerprint,
  restJson,
  Runs,
  show,
  StoreKind,
  storeFingerprint,
  Tab,
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
  answerOf,
} from '../support/fuzz-helpers';

/** Run caps and time limits per property: Redis gets fewer. */
const SCALE: Record<StoreKind, { runs: number; ms: number }> = {
  memory: { runs: 400, ms: 2000 },
  redis: { runs: 200, ms: 1200 },
};

const EVENT_FIELDS = ['eventId', 'pageId', 'componentId', 'type', 'value', 'key', 'values'];
const MESSAGES = ['event', 'join', 'resync', 'more', 'doc'] as const;
type Message = (typeof MESSAGES)[number];
type Who = 'own' | 'other' | 'stranger';

const b64 = (bytes: Uint8Array): string => Buffer.from(bytes).toString('base64');

/** A standalone Yjs update: a new client typing `text` into the document's text. */
function typedUpdate(text: string, clientId: number): Uint8Array {
  const doc = new Y.Doc();
  doc.clientID = clientId;
  doc.getText('html').insert(0, text);
  const update = Y.encodeStateAsUpdate(doc);
  doc.destroy();
  return update;
}

describe.each<StoreKind>(['memory', 'redis'])('Socket.IO fuzzing, %s store', (kind) => {
  const scale = SCALE[kind];
  const runs = new Runs();
  let server: FuzzServer;
  let prototypes: string;
  const tabs: Tab[] = [];
  // session A
  let board: Tab;
  let quasar: Tab;
  let hello: Tab;
  let countdown: Tab;
  let editor: Tab;
  // session B, and a socket without a session
  let otherBoard: Tab;
  let otherEditor: Tab;
  let stranger: Tab;
  let editorId: string;
  let pageIds: string[];
  let componentIds: string[];
  /** The board before the runs flood it. */
  let boardBefore: BoardSize;

  async function open(path: string, cookie?: string): Promise<Tab> {
    const tab = await Tab.open(server.url, path, cookie);
    tabs.push(tab);
    return tab;
  }

  beforeAll(async () => {
    prototypes = prototypeFingerprint();
    server = await FuzzServer.start(kind);
    board = await open('/message-board');
    quasar = await open('/quasar', board.cookie);
    hello = await open('/hello', board.cookie);
    countdown = await open('/countdown?num=0', board.cookie);
    editor = await open('/editor', board.cookie);
    otherBoard = await open('/message-board');
    otherEditor = await open('/editor', otherBoard.cookie);
    stranger = await Tab.anonymous(server.url);
    tabs.push(stranger);
    const clock = await open('/clock');
    editorId = nodeOf(editor.page.snapshot, (n) => n.t === 'q-editor');
    const all = [board, quasar, hello, countdown, editor, otherBoard, stranger, clock];
    pageIds = all.map((t) => t.pageId);
    componentIds = [...new Set(all.flatMap((t) => t.page.snapshot.nodes.map((n) => n.i)))];
    boardBefore = await boardSize(server.url);
  }, 30_000);

  afterAll(async () => {
    for (const tab of tabs) tab.close();
    await server?.stop();
  });

  /** The pages whose stored state a refusal must leave alone (the clock ticks: not it). */
  function watchedPages(): string[] {
    return [board, quasar, hello, countdown, editor, otherBoard, stranger].map((t) => t.pageId);
  }

  async function fingerprint(): Promise<string> {
    const pages = await storeFingerprint(server.app.store, watchedPages());
    return `${pages}\ndoc=${await docFingerprint(server.app.store, editor.pageId, editorId)}`;
  }

  function senderFor(own: Tab, who: Who): Tab {
    return who === 'own' ? own : who === 'other' ? otherBoard : stranger;
  }

  /**
   * Sends one message and checks the answer: an acknowledgement (a valid result, or an
   * error with a code of the protocol; `strict`: of {@link CLIENT_ERROR_CODES}, and no error
   * logged by the server), or, only for a frame over 1 MB, a dropped connection, after which
   * the tab reconnects. A refusal must change nothing stored. Returns the outcome.
   */
  async function exchange(
    tab: Tab,
    message: Message,
    send: () => Promise<Outcome>,
    what: () => string,
    opts: { strict: boolean; unchangedEvenIfAccepted?: boolean },
  ): Promise<Outcome> {
    await tab.ensureConnected();
    const before = await fingerprint();
    const mark = server.errors.length;
    let outcome: Outcome;
    try {
      outcome = await send();
    } catch (error) {
      throw new Error(`${String(error)}\nmessage: ${what()}`);
    }
    const changed = async (): Promise<string | null> => {
      const after = await fingerprint();
      return after === before ? null : firstDifference(before, after);
    };
    if (outcome.kind === 'dropped') {
      if (outcome.bytes <= MAX_FRAME_BYTES)
        throw new Error(
          `the server dropped the connection: ${describeOutcome(outcome)}\n${what()}`,
        );
      await tab.ensureConnected();
      const diff = await changed();
      if (diff) throw new Error(`an oversized frame changed the store:\n${diff}\n${what()}`);
      return outcome;
    }
    let ack;
    try {
      ack = checkAck(message, outcome.ack, opts.strict ? CLIENT_ERROR_CODES : ERROR_CODES);
      if (opts.strict) expectNoServerErrors(server, mark, message);
    } catch (error) {
      throw new Error(`${(error as Error).message}\nmessage: ${what()}`);
    }
    if (!ack.ok || opts.unchangedEvenIfAccepted) {
      const diff = await changed();
      if (diff)
        throw new Error(
          `${ack.ok ? 'an accepted' : `a refused (${ack.error.code})`} ${message} changed the store:\n${diff}\nmessage: ${what()}`,
        );
    }
    return outcome;
  }

  async function afterProperty(): Promise<void> {
    expectUnpolluted(prototypes);
    await checkServerUp(server.url);
  }

  // ---------------------------------------------------------------------------------
  // generators that need the pages
  // ---------------------------------------------------------------------------------

  function pageIdValue(): fc.Arbitrary<unknown> {
    return fc.oneof(
      { weight: 4, arbitrary: fc.constantFrom(...pageIds) },
      { weight: 2, arbitrary: idLike },
      { weight: 1, arbitrary: weirdScalar },
      { weight: 1, arbitrary: jsonish(plainKey, 2) },
    );
  }

  const keyValue: fc.Arbitrary<unknown> = fc.oneof(
    weirdString,
    fc.constantFrom('Enter', 'a'.repeat(64), 'a'.repeat(65)),
    weirdScalar,
  );

  function versionsValue(): fc.Arbitrary<unknown> {
    const id = fc.oneof(fc.constantFrom(...pageIds, ...componentIds), plainKey);
    return fc.oneof(
      { weight: 4, arbitrary: fc.dictionary(id, edgeNumber, { maxKeys: 6 }) },
      { weight: 1, arbitrary: fc.dictionary(id, weirdScalar, { maxKeys: 4 }) },
      { weight: 1, arbitrary: weirdScalar },
      { weight: 1, arbitrary: jsonish(plainKey, 2) },
    );
  }

  /** base64 of this and that: valid updates, random bytes, not base64 at all. */
  const base64Value: fc.Arbitrary<unknown> = fc.oneof(
    fc.base64String({ maxLength: 64 }),
    fc.uint8Array({ maxLength: 48 }).map(b64),
    fc.tuple(fc.string({ maxLength: 8 }), fc.nat()).map(([t, c]) => b64(typedUpdate(t, c))),
    weirdString,
    weirdScalar,
  );

  /** A random body with the protocol's field names and anything as their values. */
  function nearValid(): fc.Arbitrary<Body> {
    return fc
      .tuple(
        fc.record(
          {
            pageId: pageIdValue(),
            componentId: componentIdValue(componentIds),
            type: eventTypeValue,
            value: formValue,
            key: keyValue,
            values: valuesValue(componentIds),
            eventId: eventIdValue,
            versions: versionsValue(),
            from: fc.oneof(fc.nat(20), edgeNumber, weirdScalar),
            update: base64Value,
            sv: fc.constantFrom(b64(Y.encodeStateVector(new Y.Doc()))),
          },
          { requiredKeys: [] },
        ),
        fc.option(fc.tuple(plainKey, weirdScalar), { freq: 4 }),
      )
      .map(([body, extra]) => (extra ? { ...body, [extra[0]]: extra[1] } : body));
  }

  // ---------------------------------------------------------------------------------
  // valid events to mutate
  // ---------------------------------------------------------------------------------

  interface Template {
    name: string;
    tab: Tab;
    body: Body;
    /** The codes the body, sent as it is, must be refused with; none: it must apply. */
    refusedWith?: readonly string[];
  }

  function templates(): fc.Arbitrary<Template> {
    const node = (tab: Tab, t: string): string => nodeOf(tab.page.snapshot, (n) => n.t === t);
    const textarea = node(board, 'textarea');
    const send = node(board, 'button');
    const snap = quasar.page.snapshot;
    const name = node(quasar, 'q-input');
    const size = node(quasar, 'q-select');
    const quantity = node(quasar, 'q-slider');
    const cheese = node(quasar, 'q-toggle');
    const order = node(quasar, 'q-btn');
    const hellos = hello.page.snapshot.nodes.filter((n) => n.e?.includes('click')).map((n) => n.i);
    const start = node(countdown, 'button');
    const text = fc.string({ maxLength: 20 });
    const event = (
      name: string,
      tab: Tab,
      body: Body,
      refusedWith?: readonly string[],
    ): Template => ({
      name,
      tab,
      body: { pageId: tab.pageId, ...body },
      refusedWith,
    });
    if (snap.nodes.length === 0) throw new Error('no quasar page');
    return fc.oneof(
      text.map((value) =>
        event('type into the board', board, { componentId: textarea, type: 'input', value }),
      ),
      fc.option(fc.string({ minLength: 1, maxLength: 20 })).map((value) =>
        event('send a message', board, {
          componentId: send,
          type: 'click',
          ...(value === null ? {} : { values: [{ id: textarea, value }] }),
        }),
      ),
      floodText.map((value) =>
        event(
          'flood the board',
          board,
          { componentId: send, type: 'click', values: [{ id: textarea, value }] },
          floodRefusal(value),
        ),
      ),
      text.map((value) =>
        event('type a name', quasar, { componentId: name, type: 'input', value }),
      ),
      fc
        .constantFrom('small', 'medium', 'large', null)
        .map((value) =>
          event('choose a size', quasar, { componentId: size, type: 'change', value }),
        ),
      fc
        .integer({ min: 1, max: 10 })
        .map((value) =>
          event('choose how many', quasar, { componentId: quantity, type: 'change', value }),
        ),
      fc
        .boolean()
        .map((value) =>
          event('toggle cheese', quasar, { componentId: cheese, type: 'change', value }),
        ),
      fc.option(text).map((value) =>
        event('order', quasar, {
          componentId: order,
          type: 'click',
          ...(value === null ? {} : { values: [{ id: name, value }] }),
        }),
      ),
      fc
        .constantFrom(...hellos)
        .map((id) => event('click a hello', hello, { componentId: id, type: 'click' })),
      fc.constant(event('start the countdown', countdown, { componentId: start, type: 'click' })),
    );
  }

  function mutation(): fc.Arbitrary<Mutation> {
    return bodyMutation(
      {
        pageId: pageIdValue(),
        componentId: componentIdValue(componentIds),
        type: eventTypeValue,
        value: formValue,
        key: keyValue,
        values: valuesValue(componentIds),
        eventId: eventIdValue,
      },
      EVENT_FIELDS,
    );
  }

  const who: fc.Arbitrary<Who> = fc.constantFrom<Who>('own', 'own', 'own', 'other', 'stranger');

  // ---------------------------------------------------------------------------------
  // properties (built after the pages exist; `strict` adds the stricter contract)
  // ---------------------------------------------------------------------------------

  /** Random bodies for every message, from every kind of tab. */
  function randomMessages(strict: boolean) {
    const body = fc.oneof(
      { weight: 3, arbitrary: plainAnything },
      { weight: 3, arbitrary: jsonish(plainKey) },
      { weight: 6, arbitrary: nearValid() },
      { weight: 1, arbitrary: huge },
      { weight: 1, arbitrary: fc.uint8Array({ maxLength: 64 }) },
      { weight: 1, arbitrary: many(fc.constantFrom(0, 'x', null)) },
    );
    const args = fc.oneof(
      { weight: 6, arbitrary: body.map((b) => [b]) },
      { weight: 1, arbitrary: fc.array(body, { maxLength: 3 }) },
    );
    const senders = [board, quasar, hello, editor, otherBoard, otherEditor, stranger];
    return runs.property(
      fc.constantFrom(...MESSAGES),
      args,
      fc.nat(senders.length - 1),
      async (message, sent, s) => {
        const tab = senders[s];
        await exchange(
          tab,
          message,
          () => tab.emit(message, sent),
          () => `${message} ${show(sent)} from the tab of ${tab.pageId}`,
          { strict },
        );
      },
    );
  }

  /** Valid events of every demo control, with up to three fields changed, from any session. */
  function mutatedEvents(strict: boolean) {
    return runs.property(
      templates(),
      fc.array(mutation(), { maxLength: 3 }),
      who,
      async (template, mutations, sender) => {
        const tab = senderFor(template.tab, sender);
        const body = mutate(template.body, mutations);
        const outcome = await exchange(
          tab,
          'event',
          () => tab.emit('event', [body]),
          () => `${template.name}, mutated ${show(mutations)}, from ${sender}: ${show(body)}`,
          { strict },
        );
        // the unmutated event applies, or an oversized message is refused
        if (mutations.length === 0 && sender === 'own')
          expectAnswer(template.refusedWith, answerOf(outcome), () => describeOutcome(outcome));
      },
    );
  }

  /**
   * Valid joins, resyncs and mores with fields changed; the tab must still get its page
   * after.
   */
  function mutatedJoins(strict: boolean) {
    const sources = [board, quasar, hello, editor, otherBoard];
    const request = fc
      .tuple(
        fc.constantFrom<Message>('join', 'resync', 'more'),
        fc.nat(sources.length - 1),
        fc.nat(),
        fc.nat(3),
      )
      .map(([message, i, c, from]) => {
        const tab = sources[i];
        const nodes = tab.page.snapshot.nodes;
        const bodies: Partial<Record<Message, Body>> = {
          join: { pageId: tab.pageId, versions: tab.page.snapshot.versions },
          resync: { pageId: tab.pageId },
          more: { pageId: tab.pageId, componentId: nodes[c % nodes.length].i, from },
        };
        return { message, tab, body: bodies[message] ?? {} };
      });
    const fields = ['pageId', 'versions', 'componentId', 'from'];
    const change: fc.Arbitrary<Mutation> = fc.oneof(
      pageIdValue().map((to) => ({ field: 'pageId', to })),
      versionsValue().map((to) => ({ field: 'versions', to })),
      componentIdValue(componentIds).map((to) => ({ field: 'componentId', to })),
      fc.oneof(edgeNumber, weirdScalar).map((to) => ({ field: 'from', to })),
      fc.constantFrom(...fields).map((field) => ({ field, remove: true as const })),
      fc
        .tuple(
          plainKey.filter((k) => !fields.includes(k)),
          weirdScalar,
        )
        .map(([extra, to]) => ({ extra, to })),
    );
    return runs.property(
      request,
      fc.array(change, { maxLength: 3 }),
      who,
      async ({ message, tab: own, body }, mutations, sender) => {
        const tab = senderFor(own, sender);
        const sent = mutate(body, mutations);
        const outcome = await exchange(
          tab,
          message,
          () => tab.emit(message, [sent]),
          () => `${message} ${show(sent)} from ${sender}`,
          { strict, unchangedEvenIfAccepted: true },
        );
        if (mutations.length === 0 && sender === 'own') {
          if (outcome.kind !== 'ack' || !isRecord(outcome.ack) || outcome.ack.ok !== true)
            throw new Error(`a valid ${message} was refused: ${describeOutcome(outcome)}`);
        }
        // the tab still gets its own page
        await own.ensureConnected();
        const resync = await own.emit('resync', [{ pageId: own.pageId }]);
        const ack = resync.kind === 'ack' ? checkAck('resync', resync.ack, []) : undefined;
        if (!ack?.ok) throw new Error(`the tab lost its page: ${describeOutcome(resync)}`);
        checkSnapshot(ack.snapshot, own.pageId);
      },
    );
  }

  /**
   * Collaborative edits from any sender: valid, damaged and random updates, with a state
   * vector (`valid`: one a Yjs document encodes; `any`: also text and bytes that are not).
   */
  function mutatedDocs(strict: boolean, stateVectors: 'valid' | 'any') {
    const update = fc
      .tuple(fc.string({ maxLength: 30 }), fc.integer({ min: 1, max: 2 ** 31 }))
      .map(([text, client]) => typedUpdate(text, client));
    const damaged: fc.Arbitrary<Uint8Array> = fc.oneof(
      { weight: 3, arbitrary: update },
      {
        weight: 3,
        arbitrary: fc
          .tuple(
            update,
            fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 7 })), {
              minLength: 1,
              maxLength: 4,
            }),
          )
          .map(([bytes, flips]) => {
            const out = Uint8Array.from(bytes);
            for (const [at, bit] of flips) out[at % out.length] ^= 1 << bit;
            return out;
          }),
      },
      {
        weight: 1,
        arbitrary: fc.tuple(update, fc.nat()).map(([bytes, n]) => bytes.slice(0, n % bytes.length)),
      },
      {
        weight: 1,
        arbitrary: fc
          .tuple(update, fc.uint8Array({ minLength: 1, maxLength: 16 }))
          .map(([bytes, tail]) => Uint8Array.from([...bytes, ...tail])),
      },
      { weight: 1, arbitrary: fc.uint8Array({ maxLength: 64 }) },
      {
        weight: 1,
        arbitrary: fc.tuple(update, update).map(([a, b]) => Uint8Array.from([...a, ...b])),
      },
    );
    const encoded: fc.Arbitrary<unknown> = fc.oneof(
      { weight: 6, arbitrary: damaged.map(b64) },
      {
        weight: 1,
        arbitrary: fc
          .tuple(damaged, fc.constantFrom('!', ' ', '\n', '-', '_', '=', '==='))
          .map(([bytes, junk]) => b64(bytes) + junk),
      },
      { weight: 1, arbitrary: damaged.map((bytes) => b64(bytes).replace(/=+$/, '')) },
      { weight: 1, arbitrary: fc.constant(Buffer.alloc(600 * 1024).toString('base64')) },
      { weight: 1, arbitrary: weirdScalar },
    );
    const validStateVector: fc.Arbitrary<unknown> = fc.oneof(
      fc.constant(b64(Y.encodeStateVector(new Y.Doc()))),
      update.map((u) => b64(Y.encodeStateVectorFromUpdate(u))),
    );
    const stateVector: fc.Arbitrary<unknown> =
      stateVectors === 'valid'
        ? validStateVector
        : fc.oneof(
            validStateVector,
            fc.constant(''),
            fc.uint8Array({ maxLength: 32 }).map(b64),
            encoded,
          );
    const senders: [string, Tab][] = [
      ['own', editor],
      ['other', otherEditor],
      ['not joined', board],
      ['stranger', stranger],
    ];
    const change: fc.Arbitrary<Mutation> = fc.oneof(
      pageIdValue().map((to) => ({ field: 'pageId', to })),
      componentIdValue(componentIds).map((to) => ({ field: 'componentId', to })),
      fc
        .constantFrom('pageId', 'componentId', 'update')
        .map((field) => ({ field, remove: true as const })),
      fc
        .tuple(
          plainKey.filter((k) => !['pageId', 'componentId', 'update', 'sv'].includes(k)),
          weirdScalar,
        )
        .map(([extra, to]) => ({ extra, to })),
    );
    return runs.property(
      encoded,
      fc.option(stateVector, { freq: 3 }),
      fc.array(change, { maxLength: 2 }),
      fc.oneof(
        { weight: 4, arbitrary: fc.constant(0) },
        { weight: 1, arbitrary: fc.nat(senders.length - 1) },
      ),
      async (updateText, sv, mutations, s) => {
        const [sender, tab] = senders[s];
        const body = mutate(
          {
            pageId: editor.pageId,
            componentId: editorId,
            update: updateText,
            ...(sv === null ? {} : { sv }),
          },
          mutations,
        );
        const outcome = await exchange(
          tab,
          'doc',
          () => tab.emit('doc', [body]),
          () => `doc ${show(body)} from ${sender}`,
          { strict },
        );
        // whatever was stored, the document still loads, and an answered update applies
        await docFingerprint(server.app.store, editor.pageId, editorId);
        const ack = outcome.kind === 'ack' ? outcome.ack : undefined;
        if (isRecord(ack) && typeof ack.update === 'string') {
          const doc = new Y.Doc();
          Y.applyUpdate(doc, Uint8Array.from(Buffer.from(ack.update, 'base64')));
          doc.destroy();
        }
      },
    );
  }

  /**
   * Bodies with prototype-member keys (`__proto__`, `constructor`, ... as own keys) or
   * nested thousands of levels deep, put into valid messages as raw JSON text.
   */
  function hostileMessages(strict: boolean) {
    const node = (tab: Tab, t: string): string => nodeOf(tab.page.snapshot, (n) => n.t === t);
    const bases: [Message, Tab, Body][] = [
      [
        'event',
        board,
        {
          pageId: board.pageId,
          componentId: node(board, 'button'),
          type: 'click',
          values: [{ id: node(board, 'textarea'), value: 'x' }],
        },
      ],
      [
        'event',
        quasar,
        {
          pageId: quasar.pageId,
          componentId: node(quasar, 'q-select'),
          type: 'change',
          value: 'small',
        },
      ],
      ['join', board, { pageId: board.pageId, versions: board.page.snapshot.versions }],
      ['resync', board, { pageId: board.pageId }],
      ['more', board, { pageId: board.pageId, componentId: node(board, 'div'), from: 0 }],
      [
        'doc',
        editor,
        {
          pageId: editor.pageId,
          componentId: editorId,
          sv: b64(Y.encodeStateVector(new Y.Doc())),
        },
      ],
    ];
    const hostile = hostilePieces([
      '"x"',
      '1',
      '{"constructor":1}',
      '{"__proto__":{"polluted":1}}',
    ]);
    const where = fc.constantFrom(
      'pageId',
      'componentId',
      'type',
      'value',
      'values',
      'versions',
      'sv',
      'key',
      'from',
      '__proto__',
      'constructor',
      'prototype',
      '(whole body)',
      '(inside values[0])',
    );
    return runs.property(fc.nat(bases.length - 1), where, hostile, async (b, at, part) => {
      const [message, tab, base] = bases[b];
      const bodyText = hostileBodyText(base, at, part.text);
      await exchange(
        tab,
        message,
        () => tab.emitRaw(message, bodyText),
        () => `${message} with ${at} = ${part[fc.toStringMethod]()}`,
        { strict },
      );
      expectUnpolluted(prototypes);
    });
  }

  it('acknowledges random messages of every kind with an error or a valid result', async () => {
    await runs.assert(randomMessages(false), budget(scale.runs, scale.ms));
    await afterProperty();
  }, 60_000);

  it('applies or refuses mutated valid events, and a refused event changes nothing', async () => {
    await runs.assert(mutatedEvents(false), budget(scale.runs, scale.ms * 1.2));
    await afterProperty();
  }, 60_000);

  it('answers mutated joins, resyncs and mores, which never change the store', async () => {
    await runs.assert(mutatedJoins(false), budget(scale.runs, scale.ms * 0.6));
    await afterProperty();
  }, 60_000);

  it('stores or refuses mutated collaborative edits; the document stays loadable', async () => {
    await runs.assert(mutatedDocs(false, 'valid'), budget(scale.runs, scale.ms * 0.7));
    // the editor page still renders, its document decodes, REST readers get its text
    const late = await Tab.open(server.url, '/editor');
    tabs.push(late);
    const node = late.page.snapshot.nodes.find((n) => n.i === editorId);
    const doc = new Y.Doc();
    Y.applyUpdate(doc, Uint8Array.from(Buffer.from(String(node?.p.doc), 'base64')));
    const text = doc.getText('html').toString();
    doc.destroy();
    const opened = await restJson(server.url, 'POST', '/api/pages', { route: '/editor' });
    expect(opened.status).toBe(201);
    const view = checkPageView(opened.json);
    expect(view.find((n) => n.id === editorId)?.props.value).toBe(text);
    await afterProperty();
  }, 60_000);

  /**
   * In a test of its own because it fails today (see the fuzz report): a `doc` message whose
   * `sv` is not a state vector is answered `unavailable`, after its `update` was stored.
   */
  it('refuses edits whose state vector is not one, and such a refusal changes nothing', async () => {
    await runs.assert(mutatedDocs(false, 'any'), budget(scale.runs, scale.ms * 0.5));
    await afterProperty();
  }, 60_000);

  it('answers prototype keys and deep nesting without polluting anything', async () => {
    await runs.assert(hostileMessages(false), budget(scale.runs, scale.ms * 0.8));
    await afterProperty();
  }, 60_000);

  it('survives malformed Socket.IO packets: it ignores them or closes that connection', async () => {
    const packet = fc.oneof(
      fc.constantFrom(
        '',
        '2',
        '2[',
        '2{}',
        '2[]',
        '2"event"',
        '2[1,2]',
        '2["event"]',
        '2["join",{"pageId":"x"},{"more":1}]',
        '299999999999999999999999["event",{}]',
        '2-1["event",{}]',
        '3["nothing"]',
        '31["nothing"]',
        '4"x"',
        '1',
        '0',
        '0{"token":"x"}',
        '0/nope,',
        '2/nope,["event",{}]',
        '51-["event",{"_placeholder":true,"num":0}]',
        '51-["event",{"_placeholder":true,"num":7}]',
        '9',
        'x',
        '2["__proto__",{}]',
        '2["constructor",{}]',
        '21["toString",{}]',
      ),
      fc
        .tuple(
          fc.constantFrom('2', '21', '3', '5', '6'),
          fc.string({ unit: 'binary', maxLength: 30 }),
        )
        .map(([t, s]) => t + s),
      fc
        .tuple(fc.nat(), jsonish(plainKey, 3))
        .map(([id, body]) => `2${id}["event",${JSON.stringify(body) ?? 'null'}]`),
    );
    await runs.assert(
      runs.property(fc.array(packet, { minLength: 1, maxLength: 3 }), async (packets) => {
        const tab = await Tab.open(server.url, '/hello', board.cookie);
        try {
          for (const p of packets) tab.sendPacket(p);
          // CONNECT (0) and DISCONNECT (1) packets end the tab's Socket.IO session as the
          // protocol says; otherwise a tab still connected must still be answered
          const protocolLevel = packets.some((p) => p.startsWith('0') || p.startsWith('1'));
          if (!protocolLevel && tab.socket.connected) {
            const outcome = await tab.emit('resync', [{ pageId: tab.pageId }]);
            if (outcome.kind === 'ack') checkAck('resync', outcome.ack, ERROR_CODES);
          }
        } finally {
          tab.close();
        }
        // other tabs are unaffected
        const other = await board.emit('resync', [{ pageId: board.pageId }]);
        if (other.kind !== 'ack' || !isRecord(other.ack) || other.ack.ok !== true)
          throw new Error(`another tab broke after ${show(packets)}: ${describeOutcome(other)}`);
      }),
      budget(Math.round(scale.runs / 8), Math.max(1000, scale.ms * 0.4)),
    );
    await afterProperty();
  }, 60_000);

  /**
   * The stricter contract, in a test of its own because it fails today (see the fuzz
   * report): a message that is wrong is refused with a client-error code (`bad-request`,
   * `not-found`, `forbidden`, `not-listening`, `too-large`), never `unavailable` ("retry:
   * the server is going away", which clients retry) or `handler-failed`, and the server
   * logs no error for it. Every generator above runs again under it.
   */
  it('refuses wrong messages with client errors only, never unavailable, and logs no error', async () => {
    const share = 0.35;
    const failures: string[] = [];
    const properties: [string, fc.IAsyncProperty<unknown>, number][] = [
      ['random messages', randomMessages(true), scale.ms],
      ['mutated events', mutatedEvents(true), scale.ms],
      ['mutated joins, resyncs and mores', mutatedJoins(true), scale.ms * 0.6],
      ['mutated collaborative edits', mutatedDocs(true, 'any'), scale.ms * 0.6],
      ['prototype keys and deep nesting', hostileMessages(true), scale.ms * 0.6],
    ];
    for (const [name, property, ms] of properties) {
      const failure = await runs.check(property, budget(scale.runs, ms * share));
      if (failure) failures.push(`${name}: ${failure}`);
    }
    if (failures.length > 0) throw new Error(failures.join('\n\n'));
    await afterProperty();
  }, 60_000);

  it('floods the board: a message past its maxLength is refused with too-large, storing nothing', async () => {
    const node = (tab: Tab, t: string): string => nodeOf(tab.page.snapshot, (n) => n.t === t);
    const say = async (tab: Tab, text: unknown) => {
      const body = {
        pageId: tab.pageId,
        componentId: node(tab, 'button'),
        type: 'click',
        values: [{ id: node(tab, 'textarea'), value: text }],
      };
      const what = () => `send a message ${show(body)}`;
      const outcome = await exchange(tab, 'event', () => tab.emit('event', [body]), what, {
        strict: true,
      });
      return { answer: answerOf(outcome), what };
    };
    const params = budget(Math.round(scale.runs / 4), scale.ms * 0.3);
    await floodBoard(runs, [board, otherBoard], say, params, server.url, boardBefore);
    await afterProperty();
  }, 60_000);

  it('leaves every page it fuzzed well formed, readable over REST and over the socket', async () => {
    for (const tab of [board, quasar, hello, countdown, editor, otherBoard, stranger]) {
      const records = await checkStoredPage(server.app.store, tab.pageId);
      expect(records).not.toBeNull();
      const read = await restJson(
        server.url,
        'GET',
        `/api/pages/${tab.pageId}`,
        undefined,
        tab.cookie || undefined,
      );
      if (tab === stranger) {
        expect(read.status).toBe(403);
        continue;
      }
      expect(read.status).toBe(200);
      checkPageView(read.json, tab.pageId);
      await tab.ensureConnected();
      const outcome = await tab.emit('resync', [{ pageId: tab.pageId }]);
      const ack = outcome.kind === 'ack' ? checkAck('resync', outcome.ack, []) : undefined;
      if (!ack?.ok) throw new Error(`resync of ${tab.pageId}: ${describeOutcome(outcome)}`);
      checkSnapshot(ack.snapshot, tab.pageId);
    }
    await docFingerprint(server.app.store, editor.pageId, editorId);
    await afterProperty();
  }, 30_000);
});
