/**
 * The baseline: bare Socket.IO with the Redis adapter, doing what the Pushpage demo does
 * on the wire and nothing else (no store, no components). Run as its own process:
 * `PORT=… REDIS_URL=… node dist/test/bench/baseline-server.js`.
 *
 * - `join { pageId }` puts the socket in the room of its page and in the shared `board` room;
 * - `event { pageId, values, seq }` broadcasts to `board` a patch shaped like Pushpage's
 *   (one inserted message row, four nodes), sends the sender's page a small patch (the
 *   cleared text box), and acknowledges.
 * - `GET /health` answers 200 once the server listens.
 *
 * It exits when its stdin closes, so it never outlives the bench.
 */
import { createServer } from 'node:http';
import { createAdapter } from '@socket.io/redis-adapter';
import { Redis } from 'ioredis';
import { Server, Socket } from 'socket.io';
import { SOCKET_PATH } from './wire';

const MESSAGE_CLASSES = 'ml-4 p-2 text-lg bg-red-500 text-white overflow-auto font-mono rounded-lg';

interface EventBody {
  pageId?: unknown;
  values?: { id?: unknown; value?: unknown }[];
  seq?: unknown;
}

type Ack = (reply: object) => void;

let rowCounter = 0;

/** A patch inserting one message row at the top of the board, as Pushpage would send it. */
function boardPatch(seq: number, text: string): object {
  const id = (n: number) => `b${process.pid}x${++rowCounter}x${n}`;
  const [row, icon, time, pre] = [id(0), id(1), id(2), id(3)];
  return {
    s: 'board',
    v: seq,
    o: [['ins', 'board', 0, row]],
    n: [
      { i: row, t: 'div', p: { classes: 'flex m-2 border' }, k: [icon, time, pre] },
      { i: icon, t: 'i', p: { classes: 'fa fa-comments text-2xl text-green-600' } },
      { i: time, t: 'p', p: { text: new Date().toISOString(), classes: 'text-xs ml-2' } },
      { i: pre, t: 'pre', p: { text, classes: MESSAGE_CLASSES } },
    ],
  };
}

function onConnection(io: Server, socket: Socket): void {
  socket.on('join', (body: { pageId?: unknown }, ack: Ack) => {
    const pageId = typeof body?.pageId === 'string' ? body.pageId : '';
    if (!pageId) return ack({ ok: false, error: { code: 'bad-request', message: 'no pageId' } });
    socket.data = { pageId };
    void socket.join([`p:${pageId}`, 'board']);
    ack({ ok: true });
  });
  socket.on('event', (body: EventBody, ack: Ack) => {
    const pageId = (socket.data as { pageId?: string }).pageId;
    const seq = typeof body?.seq === 'number' ? body.seq : 0;
    const text = typeof body?.values?.[0]?.value === 'string' ? body.values[0].value : '';
    if (!pageId || body.pageId !== pageId || !text)
      return ack({ ok: false, error: { code: 'bad-request', message: 'bad event' } });
    io.to('board').emit('patch', boardPatch(seq, text));
    io.to(`p:${pageId}`).emit('patch', {
      s: pageId,
      v: seq,
      o: [['set', 'textarea', 'value', '']],
    });
    ack({ ok: true, updated: true });
  });
}

async function main(): Promise<void> {
  const port = Number(process.env.PORT);
  const redisUrl = process.env.REDIS_URL;
  if (!Number.isInteger(port) || !redisUrl) throw new Error('PORT and REDIS_URL are required');
  const http = createServer((req, res) => {
    res.writeHead(req.url === '/health' ? 200 : 404).end();
  });
  const io = new Server(http, { path: SOCKET_PATH, transports: ['websocket'], serveClient: false });
  const pub = new Redis(redisUrl, { maxRetriesPerRequest: 2 });
  const sub = pub.duplicate();
  io.adapter(createAdapter(pub, sub, { key: 'bare:socket.io' }));
  io.on('connection', (socket) => onConnection(io, socket));
  await new Promise<void>((resolve) => http.listen(port, '127.0.0.1', resolve));
  const stop = () => {
    void io.close();
    pub.disconnect();
    sub.disconnect();
    process.exit(0);
  };
  process.stdin.on('end', stop);
  process.stdin.on('close', stop);
  process.stdin.resume();
  process.on('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
