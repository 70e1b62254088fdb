import type { Socket } from 'socket.io-client';
import { connectTab, loadPage, request } from '../support/demo-app';
import { NodeTab } from '../support/node-tab';
import { waitFor } from '../support/ports';
import { RedisLink, RedisServer } from '../support/redis-server';
import { Replica, startReplica, startReplicas } from '../support/replicas';

const WELCOME = 'Welcome to the simple message board!';
/**
 * How long the test waits for the answer to a request made while Redis is down or hung: an
 * answer must come (`unavailable`), and a request still unanswered by then counts as hung.
 */
const REFUSAL_WAIT_MS = 10_000;

type Node = { i: string; t: string; p: Record<string, unknown> };
type EventAnswer = { ok: boolean; error?: { code: string; message: string } };

function isBoard(node: { p: Record<string, unknown> }): boolean {
  return typeof node.p.classes === 'string' && node.p.classes.includes('overflow-auto');
}

/** How many times each text is on the board. */
function countsOf(texts: string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const text of texts) counts.set(text, (counts.get(text) ?? 0) + 1);
  return counts;
}

/** Runs `what` and gives its result (or its error) with how long it took. */
async function timed<T>(
  what: () => Promise<T>,
): Promise<{ ms: number; result?: T; error?: Error }> {
  const start = Date.now();
  try {
    const result = await what();
    return { ms: Date.now() - start, result };
  } catch (error) {
    return { ms: Date.now() - start, error: error as Error };
  }
}

/** An HTTP request that gives up after `ms` (so a hang fails the test instead of stalling it). */
function get(url: string, init: RequestInit = {}, ms = 15_000): Promise<Response> {
  return fetch(url, { ...init, signal: AbortSignal.timeout(ms) });
}

async function status(url: string): Promise<number> {
  return (await get(url, {}, 5000)).status;
}

/** A raw tab (no retries, unlike the runtime's): its first answer to an event is what we see. */
interface RawTab {
  socket: Socket;
  pageId: string;
  textarea?: string;
  button?: string;
}

/**
 * Redis fails under two replicas and comes back: while it is down (or hung), every replica
 * stays up, turns not ready, and answers events, REST calls and page loads with a prompt
 * `unavailable` instead of hanging; once it is back (same port, same data), every replica is
 * ready again by itself, a tab's message sent meanwhile is applied once, and nothing
 * acknowledged before the fault is lost.
 */
describe('a Redis outage', () => {
  let redis: RedisServer;
  let replicas: Replica[] = [];
  const tabs: NodeTab[] = [];
  const sockets: Socket[] = [];
  /** Every message a NodeTab sent, by event id: all must end up on the board once. */
  const sent = new Map<string, { tab: NodeTab; text: string }>();
  /** Texts of events answered `unavailable` and never sent again: never on the board. */
  const refused: string[] = [];

  beforeAll(async () => {
    redis = await RedisServer.start({ persistent: true });
    replicas = await startReplicas(2, redis.url, { PUSHPAGE_LOG_LEVEL: 'warn' });
  }, 60_000);

  afterAll(async () => {
    redis?.resume();
    for (const tab of tabs) tab.close();
    for (const socket of sockets) socket.disconnect();
    await Promise.all(replicas.map((r) => r.stop()));
    await redis?.dispose();
  }, 30_000);

  const logs = () => replicas.map((r, i) => `replica ${i + 1} log:\n${r.output.join('')}`);
  const failWith = (what: () => string) => (error: Error) => {
    throw new Error(`${error.message}\n${what()}\n${logs().join('\n')}`);
  };

  async function openTab(replica: Replica): Promise<NodeTab> {
    const tab = await NodeTab.open(replica.url, '/message-board');
    tabs.push(tab);
    return tab;
  }

  function send(tab: NodeTab, eventId: string, text: string): void {
    sent.set(eventId, { tab, text });
    tab.typeAndClick(
      tab.nodeId((n) => n.t === 'textarea'),
      tab.nodeId((n) => n.t === 'button'),
      text,
      eventId,
    );
  }

  function answer(eventId: string) {
    return sent.get(eventId)?.tab.answers.get(eventId);
  }

  async function openRawTab(replica: Replica): Promise<RawTab> {
    const page = await loadPage(replica.url, '/message-board');
    const nodes = page.snapshot.nodes as Node[];
    const socket = connectTab(replica.url, page.cookie);
    sockets.push(socket);
    const joined = await request<{ ok: boolean }>(socket, 'join', {
      pageId: page.snapshot.pageId,
      versions: page.snapshot.versions,
    });
    expect(joined.ok).toBe(true);
    return {
      socket,
      pageId: page.snapshot.pageId,
      textarea: nodes.find((n) => n.t === 'textarea')?.i,
      button: nodes.find((n) => n.t === 'button')?.i,
    };
  }

  /** Sends a message on a raw tab once and gives its first answer, with how long it took. */
  function sendRaw(tab: RawTab, eventId: string, text: string) {
    refused.push(text);
    return timed(() =>
      request<EventAnswer>(
        tab.socket,
        'event',
        {
          eventId,
          pageId: tab.pageId,
          componentId: tab.button,
          type: 'click',
          values: [{ id: tab.textarea, value: text }],
        },
        REFUSAL_WAIT_MS,
      ),
    );
  }

  function expectRefusedPromptly(e: Awaited<ReturnType<typeof sendRaw>>): void {
    expect(e.error).toBeUndefined(); // answered within REFUSAL_WAIT_MS, not hung
    expect(e.result).toMatchObject({ ok: false, error: { code: 'unavailable' } });
    expect(e.result?.error?.message).toMatch(/unavailable/);
  }

  /** Waits until every replica's `/readyz` answers `code`; how long each took. */
  async function readiness(code: 200 | 503, timeoutMs: number): Promise<number[]> {
    const waits = await Promise.all(
      replicas.map((r) =>
        timed(() =>
          waitFor(
            `readiness ${code}`,
            async () => (await status(`${r.url}/readyz`)) === code,
            timeoutMs,
          ),
        ),
      ),
    );
    for (const wait of waits) expect(wait.error).toBeUndefined();
    return waits.map((wait) => wait.ms);
  }

  function expectReplicasRunning(): void {
    for (const r of replicas) {
      expect(r.child.exitCode).toBeNull();
      expect(r.child.signalCode).toBeNull();
    }
  }

  /** The board as `tab` shows it holds every message sent once, nothing refused, the welcome. */
  function boardIsRight(tab: NodeTab, board: string): boolean {
    const shown = tab.texts(board, 'pre');
    const counts = countsOf(shown);
    return (
      [...sent.values()].every(({ text }) => counts.get(text) === 1) &&
      refused.every((text) => !counts.has(text)) &&
      counts.get(WELCOME) === 1 &&
      shown.length === sent.size + 1
    );
  }

  /** A fresh load on each replica shows every message sent exactly once and nothing refused. */
  async function expectFreshBoards(board: string): Promise<void> {
    for (const replica of replicas) {
      const fresh = await openTab(replica);
      const counts = countsOf(fresh.texts(board, 'pre'));
      const texts = [...sent.values()].map(({ text }) => text);
      expect(texts.map((text) => [text, counts.get(text) ?? 0])).toEqual(
        texts.map((text) => [text, 1]),
      );
      expect(refused.filter((text) => counts.has(text))).toEqual([]);
      expect(fresh.texts(board, 'pre')).toHaveLength(sent.size + 1);
    }
  }

  it('refuses work promptly while Redis is down, recovers by itself, and loses nothing acknowledged', async () => {
    const figures: Record<string, unknown> = {};

    // 1. A tab on each replica; messages acknowledged before the fault.
    const a = await openTab(replicas[0]);
    const b = await openTab(replicas[1]);
    const board = a.nodeId(isBoard);
    const before = ['a1', 'b1', 'a2', 'b2', 'a3', 'b3'];
    for (const id of before) send(id.startsWith('a') ? a : b, id, `before the fault: ${id}`);
    await waitFor('every message before the fault answered', () =>
      before.every((id) => answer(id) !== undefined),
    );
    expect(before.map((id) => [id, answer(id)?.ok])).toEqual(before.map((id) => [id, true]));
    const raw = await Promise.all(replicas.map(openRawTab));
    await readiness(200, 5000);

    // 2. Redis dies (SIGKILL: no clean shutdown; `appendfsync always` kept every answered write).
    await redis.stop('SIGKILL');
    const downAt = Date.now();

    // 3. Meanwhile a tab sends a message; its runtime sends it again until it is answered.
    send(a, 'during', 'sent while Redis was down');

    figures.readyzFalseAfterMs = await readiness(503, 10_000);
    figures.readyz = (await (await get(`${replicas[0].url}/readyz`)).json()) as unknown;
    for (const r of replicas) expect(await status(`${r.url}/healthz`)).toBe(200);

    // Events, REST and page loads: an answer, not a hang.
    const [events, rest, pageLoads] = await Promise.all([
      Promise.all(raw.map((tab, i) => sendRaw(tab, `raw-${i}`, `refused while down (${i})`))),
      Promise.all(
        replicas.map((r) =>
          timed(async () => {
            const res = await get(
              `${r.url}/api/pages`,
              {
                method: 'POST',
                headers: { 'content-type': 'application/json' },
                body: JSON.stringify({ route: '/message-board' }),
              },
              REFUSAL_WAIT_MS,
            );
            return { status: res.status, body: (await res.json()) as unknown };
          }),
        ),
      ),
      Promise.all(
        replicas.map((r) =>
          timed(async () => {
            const res = await get(`${r.url}/message-board`, {}, REFUSAL_WAIT_MS);
            return { status: res.status, body: (await res.text()).slice(0, 200) };
          }),
        ),
      ),
    ]);
    const show = (e: { ms: number; result?: unknown; error?: Error }) => ({
      ms: e.ms,
      answer: e.result,
      error: e.error?.message,
    });
    figures.events = events.map(show);
    figures.rest = rest.map(show);
    figures.pageLoads = pageLoads.map(show);
    for (const e of events) expectRefusedPromptly(e);
    for (const e of rest) {
      expect(e.error).toBeUndefined();
      expect(e.result).toMatchObject({ status: 503, body: { code: 'unavailable' } });
    }
    for (const e of pageLoads) {
      expect(e.error).toBeUndefined();
      expect(e.result?.status).toBeGreaterThanOrEqual(500);
    }
    // the tab's message is kept, not given up on, and no replica died
    expect(answer('during')).toBeUndefined();
    expect(a.connection.unacknowledged).toBe(1);
    expectReplicasRunning();
    figures.outageMs = Date.now() - downAt;

    // 4. Redis comes back on the same port with the same data: ready again, by itself.
    await redis.restart();
    const upAt = Date.now();
    figures.readyzTrueAfterMs = await readiness(200, 15_000);
    await waitFor('the message sent during the outage answered', () => !!answer('during'), 20_000)
      .catch(failWith(() => `tab a: ${JSON.stringify([a.trace, a.errors])}`))
      .finally(() => (figures.retriedAnsweredAfterMs = Date.now() - upAt));
    expect(answer('during')?.ok).toBe(true);

    // New events work, and reach the tabs of both replicas (the adapter subscribed again).
    send(b, 'after-b', 'after the outage, through replica 2');
    send(a, 'after-a', 'after the outage, through replica 1');
    await waitFor('new events answered', () => !!answer('after-a') && !!answer('after-b'));
    expect([answer('after-a')?.ok, answer('after-b')?.ok]).toEqual([true, true]);
    await waitFor(
      'both tabs to show every message once',
      () => [a, b].every((tab) => boardIsRight(tab, board)),
      10_000,
    ).catch(
      failWith(() => `tabs show ${JSON.stringify([a, b].map((t) => t.texts(board, 'pre')))}`),
    );

    // A fresh load: every message acknowledged before the fault, and the retried one, once.
    await expectFreshBoards(board);
    expect(a.errors.concat(b.errors)).toEqual([]);
    expectReplicasRunning();
    process.stdout.write(`redis outage (stopped): ${JSON.stringify(figures)}\n`);
  }, 90_000);

  it('answers promptly while Redis hangs (accepts, never answers), and recovers when it answers again', async () => {
    const figures: Record<string, unknown> = {};
    const a = await openTab(replicas[1]);
    const board = a.nodeId(isBoard);
    const raw = await openRawTab(replicas[0]);
    await readiness(200, 5000);

    redis.pause();
    const pausedAt = Date.now();
    send(a, 'during-hang', 'sent while Redis hung');
    const refusal = await sendRaw(raw, 'raw-hang', 'refused while hung');
    figures.event = { ms: refusal.ms, answer: refusal.result, error: refusal.error?.message };
    expectRefusedPromptly(refusal);
    figures.readyzFalseAfterMs = await readiness(503, 10_000);
    for (const r of replicas) expect(await status(`${r.url}/healthz`)).toBe(200);
    expect(answer('during-hang')).toBeUndefined();
    expectReplicasRunning();
    figures.hangMs = Date.now() - pausedAt;

    redis.resume();
    const resumedAt = Date.now();
    figures.readyzTrueAfterMs = await readiness(200, 15_000);
    await waitFor(
      'the message sent during the hang answered',
      () => !!answer('during-hang'),
      20_000,
    )
      .catch(failWith(() => `tab: ${JSON.stringify([a.trace, a.errors])}`))
      .finally(() => (figures.retriedAnsweredAfterMs = Date.now() - resumedAt));
    expect(answer('during-hang')?.ok).toBe(true);
    await waitFor('the tab to show every message once', () => boardIsRight(a, board), 10_000).catch(
      failWith(() => `tab shows ${JSON.stringify(a.texts(board, 'pre'))}`),
    );
    await expectFreshBoards(board);
    expect(a.errors).toEqual([]);
    expectReplicasRunning();
    process.stdout.write(`redis outage (hung): ${JSON.stringify(figures)}\n`);
  }, 60_000);

  it('applies an event once when the connection breaks after Redis ran its commit, before the answer', async () => {
    // a third replica that reaches Redis through a link that can cut its connection
    const link = await RedisLink.start(redis);
    const replica = await startReplica({ REDIS_URL: link.url, PUSHPAGE_LOG_LEVEL: 'warn' });
    try {
      const tab = await NodeTab.open(replica.url, '/message-board');
      tabs.push(tab);
      const board = tab.nodeId(isBoard);
      const text = 'the answer to this commit is lost';
      // the commit's step that inserts the message into the board (the second of its two
      // scopes, after the page's): Redis runs it, the replica never hears back
      let cut = false;
      void link.cutAfter(text, '\r\npart\r\n').then(() => (cut = true));
      const sentAt = Date.now();
      send(tab, 'cut', text);
      await waitFor('the link to cut the commit', () => cut);
      await waitFor('the message answered', () => !!answer('cut'), 20_000).catch(
        failWith(
          () => `tab: ${JSON.stringify([tab.trace, tab.errors])}\n${replica.output.join('')}`,
        ),
      );
      const answeredMs = Date.now() - sentAt;
      expect(answer('cut')?.ok).toBe(true);
      // once on the board, whichever replica loads it; never twice
      await expectFreshBoards(board);
      expect(replica.child.exitCode).toBeNull();
      process.stdout.write(
        `redis outage (lost answer): answered after ${answeredMs} ms: ${JSON.stringify(answer('cut'))}\n`,
      );
    } finally {
      await replica.stop();
      await link.stop();
    }
  }, 60_000);
});
