import { ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, Server, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { freePort, waitFor } from './ports';

/** How to run the test's `redis-server`. */
export interface RedisServerOptions {
  /**
   * Keep the data across a restart of the server itself: an append-only file, fsynced before
   * every reply (`appendfsync always`), in a temporary folder that `dispose()` removes.
   */
  persistent?: boolean;
}

/**
 * A real `redis-server` on a free loopback port for one test file: without persistence by
 * default, or persistent (`{ persistent: true }`) so that it can be stopped (even killed) and
 * started again on the same port with the same data (`stop()`, then `restart()`).
 */
export class RedisServer {
  private constructor(
    readonly port: number,
    private child: ChildProcess,
    private readonly dataDir: string | undefined,
  ) {}

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  /** Whether the server process is running (between `start()`/`restart()` and `stop()`). */
  get running(): boolean {
    const { pid, exitCode, signalCode } = this.child;
    return pid !== undefined && exitCode === null && signalCode === null;
  }

  static async start(options: RedisServerOptions = {}): Promise<RedisServer> {
    const port = await freePort();
    const dataDir = options.persistent
      ? await mkdtemp(join(tmpdir(), 'pushpage-redis-'))
      : undefined;
    const server = new RedisServer(port, RedisServer.spawn(port, dataDir), dataDir);
    try {
      await server.waitUntilAnswering();
    } catch (error) {
      await server.dispose();
      throw error;
    }
    return server;
  }

  private static spawn(port: number, dataDir: string | undefined): ChildProcess {
    const persistence = dataDir
      ? ['--save', '', '--appendonly', 'yes', '--appendfsync', 'always', '--dir', dataDir]
      : ['--save', '', '--appendonly', 'no'];
    return spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', ...persistence], {
      stdio: 'ignore',
    });
  }

  private async waitUntilAnswering(): Promise<void> {
    const child = this.child;
    let failure: Error | undefined;
    child.on('error', (e) => (failure = e));
    await waitFor(`redis-server on port ${this.port}`, async () => {
      if (failure)
        throw new Error(
          `redis-server could not start (apt-get install redis-server): ${failure.message}`,
        );
      if (child.exitCode !== null || child.signalCode !== null)
        throw new Error(`redis-server on port ${this.port} exited at start`);
      const probe = new Redis(this.url, {
        lazyConnect: true,
        maxRetriesPerRequest: 0,
        retryStrategy: () => null,
      });
      probe.on('error', () => undefined);
      try {
        await probe.connect();
        return (await probe.ping()) === 'PONG';
      } finally {
        probe.disconnect();
      }
    });
  }

  /** A new client; the caller quits it. */
  client(): Redis {
    return new Redis(this.url);
  }

  /**
   * Stops the server and waits for it to exit: `SIGTERM` (a clean shutdown) by default,
   * `SIGKILL` for a crash. The data of a persistent server stays for `restart()`.
   */
  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    if (!this.running) return;
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.kill(signal);
    if (signal !== 'SIGKILL') this.child.kill('SIGCONT'); // a paused server handles it now
    await exited;
  }

  /**
   * Freezes the server (`SIGSTOP`): it keeps its connections and accepts new ones but answers
   * nothing, as a hung Redis or one behind a network partition would. `resume()` undoes it.
   */
  pause(): void {
    if (!this.running) throw new Error(`redis-server on port ${this.port} is not running`);
    this.child.kill('SIGSTOP');
  }

  /** Lets a paused server run again (`SIGCONT`). */
  resume(): void {
    if (this.running) this.child.kill('SIGCONT');
  }

  /** Starts the stopped server again on the same port, with the same data if persistent. */
  async restart(): Promise<void> {
    if (this.running) throw new Error(`redis-server on port ${this.port} is still running`);
    this.child = RedisServer.spawn(this.port, this.dataDir);
    try {
      await this.waitUntilAnswering();
    } catch (error) {
      await this.stop('SIGKILL');
      throw error;
    }
  }

  /** Stops the server and removes its data folder (if persistent). */
  async dispose(): Promise<void> {
    await this.stop();
    if (this.dataDir) await rm(this.dataDir, { recursive: true, force: true });
  }
}

/** Splits what a client sends into whole commands (RESP arrays of bulk strings, as ioredis sends). */
class CommandReader {
  private pending = Buffer.alloc(0);

  /** The commands that this chunk completes, each as its bytes. */
  push(chunk: Buffer): Buffer[] {
    this.pending = Buffer.concat([this.pending, chunk]);
    const complete: Buffer[] = [];
    for (let end = commandEnd(this.pending); end > 0; end = commandEnd(this.pending)) {
      complete.push(this.pending.subarray(0, end));
      this.pending = this.pending.subarray(end);
    }
    return complete;
  }
}

/** Where the first command of `buffer` ends (`*n` then n × `$len` and the bytes), or -1. */
function commandEnd(buffer: Buffer): number {
  let eol = buffer.indexOf('\r\n');
  if (buffer[0] !== 0x2a || eol < 0) return -1;
  const count = Number(buffer.toString('latin1', 1, eol));
  let at = eol + 2;
  for (let i = 0; i < count; i++) {
    eol = buffer.indexOf('\r\n', at);
    if (eol < 0) return -1;
    at = eol + 2 + Number(buffer.toString('latin1', at + 1, eol)) + 2;
    if (at > buffer.length) return -1;
  }
  return at;
}

/**
 * A TCP relay in front of a `RedisServer` (clients connect to `url`), which can cut a client's
 * connection right after passing one of its commands on: Redis runs the command, the client
 * never gets the answer, as when a connection breaks at the wrong moment.
 */
export class RedisLink {
  private readonly sockets = new Set<Socket>();
  private trap: { parts: string[]; sprung: () => void } | undefined;

  private constructor(
    private readonly server: Server,
    readonly port: number,
  ) {}

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  static async start(target: RedisServer): Promise<RedisLink> {
    const server = createServer();
    const port = await freePort();
    const link = new RedisLink(server, port);
    server.on('connection', (client) => link.relay(client, target.port));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', resolve);
    });
    return link;
  }

  /**
   * The next time a client sends a command containing every one of `parts`, the link passes
   * it on whole and cuts that client's connection; resolves once it has.
   */
  cutAfter(...parts: string[]): Promise<void> {
    return new Promise((resolve) => (this.trap = { parts, sprung: resolve }));
  }

  private relay(client: Socket, port: number): void {
    const upstream = new Socket();
    upstream.connect(port, '127.0.0.1');
    for (const socket of [client, upstream]) {
      this.sockets.add(socket);
      socket.on('error', () => undefined);
      socket.on('close', () => this.sockets.delete(socket));
    }
    // Redis still reads (and runs) what the client sent before it went
    client.on('close', () => upstream.end());
    upstream.on('close', () => client.destroy());
    upstream.on('data', (chunk: Buffer) => client.write(chunk));
    const commands = new CommandReader();
    client.on('data', (chunk: Buffer) => {
      upstream.write(chunk);
      for (const command of commands.push(chunk)) {
        const trap = this.trap;
        const text = command.toString('latin1');
        if (!trap || !trap.parts.every((part) => text.includes(part))) continue;
        // the whole command went on, so Redis runs it; its answer never comes back
        this.trap = undefined;
        upstream.removeAllListeners('data');
        client.destroy();
        trap.sprung();
        return;
      }
    });
  }

  async stop(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise((resolve) => this.server.close(resolve));
  }
}
