/**
 * The browser runtime's connection, against a socket stand-in: a join whose answer is older
 * than a patch that arrived meanwhile must not lose that patch.
 */
import { Socket } from 'socket.io-client';
import { Connection } from '../../../client/src/connection';
import { PageTree } from '../../../client/src/tree';
import { PageSnapshot, ScopePatch } from '../../../client/src/types';

type Handler = (...args: unknown[]) => void;

/** Records what the connection emits; the test answers acks and fires server events. */
class SocketStandIn {
  readonly id = 'tab-socket';
  connected = true;
  readonly sent: { event: string; body: unknown; ack: Handler }[] = [];
  private readonly handlers = new Map<string, Handler[]>();

  on(event: string, handler: Handler): this {
    this.handlers.set(event, [...(this.handlers.get(event) ?? []), handler]);
    return this;
  }

  emit(event: string, body: unknown, ack: Handler): this {
    this.sent.push({ event, body, ack });
    return this;
  }

  fire(event: string, ...args: unknown[]): void {
    for (const handler of this.handlers.get(event) ?? []) handler(...args);
  }

  lastAck(event: string): Handler {
    const found = [...this.sent].reverse().find((s) => s.event === event);
    if (!found) throw new Error(`nothing emitted as ${event}`);
    return found.ack;
  }
}

const snapshot = (version: number, text: string): PageSnapshot => ({
  pageId: 'page',
  nodes: [
    { i: 'page', t: 'div', p: {}, k: ['msg'] },
    { i: 'msg', t: 'p', p: { text } },
  ],
  versions: { page: version },
});

const setText = (version: number, text: string): ScopePatch => ({
  s: 'page',
  v: version,
  o: [['set', 'msg', 'text', text]],
});

function connected(): { tree: PageTree; socket: SocketStandIn } {
  const tree = new PageTree();
  tree.load(snapshot(1, 'one'));
  const socket = new SocketStandIn();
  new Connection(tree, socket as unknown as Socket, {
    connected: () => undefined,
    unusable: () => undefined,
    error: () => undefined,
  });
  socket.fire('connect');
  socket.lastAck('join')({ ok: true });
  return { tree, socket };
}

describe('the client connection', () => {
  it('keeps a patch that arrives while a rejoin is answered with an older snapshot', () => {
    const { tree, socket } = connected();
    jest.useFakeTimers();
    try {
      socket.fire('rejoin');
      jest.runAllTimers();
      // the server read the page for the answer before this patch was committed
      socket.fire('patch', setText(2, 'two'));
      socket.lastAck('join')({ ok: true, snapshot: snapshot(1, 'one') });
      expect(tree.nodes.get('msg')?.p.text).toBe('two');
      expect(tree.versions.get('page')).toBe(2);
    } finally {
      jest.useRealTimers();
    }
  });

  it('applies patches that arrive during a join answered with missed patches, in order', () => {
    const { tree, socket } = connected();
    jest.useFakeTimers();
    try {
      socket.fire('rejoin');
      jest.runAllTimers();
      socket.fire('patch', setText(3, 'three'));
      socket.lastAck('join')({ ok: true, patches: [setText(2, 'two')] });
      expect(tree.nodes.get('msg')?.p.text).toBe('three');
      expect(tree.versions.get('page')).toBe(3);
    } finally {
      jest.useRealTimers();
    }
  });

  it('asks again, later, for a join or a whole page the server paced', () => {
    const { tree, socket } = connected();
    jest.useFakeTimers();
    try {
      const paced = { ok: false, error: { code: 'rate-limited', message: 'too many' } };
      socket.fire('disconnect', 'transport close');
      socket.fire('connect');
      const joins = () => socket.sent.filter((s) => s.event === 'join').length;
      const before = joins();
      socket.lastAck('join')(paced);
      jest.runAllTimers();
      expect(joins()).toBe(before + 1);
      socket.lastAck('join')({ ok: true });
      // a gap: the whole page is asked for, paced, and asked for again
      socket.fire('patch', setText(5, 'five'));
      jest.runAllTimers();
      socket.lastAck('resync')(paced);
      jest.runAllTimers();
      expect(socket.sent.filter((s) => s.event === 'resync')).toHaveLength(2);
      socket.lastAck('resync')({ ok: true, snapshot: snapshot(5, 'five') });
      expect(tree.nodes.get('msg')?.p.text).toBe('five');
    } finally {
      jest.useRealTimers();
    }
  });
});
