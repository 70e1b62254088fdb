import { ChildProcess, fork } from 'node:child_process';
import { join } from 'node:path';
import { track, untrack } from './cleanup';
import { Command, Request, ResultOf, WorkerMessage } from './protocol';

/** A delivery report of a worker: all its tabs have board version `v`. */
export type Delivered = Extract<WorkerMessage, { type: 'delivered' }>;

interface Waiting {
  resolve: (result: unknown) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
}

/** The coordinator's handle on one client worker process. */
export class ClientWorker {
  private nextId = 1;
  private readonly waiting = new Map<number, Waiting>();
  private readonly deliveryListeners = new Set<(d: Delivered) => void>();

  private constructor(
    readonly name: string,
    private readonly child: ChildProcess,
  ) {
    child.on('message', (message: WorkerMessage) => this.receive(message));
    child.on('exit', (code, signal) => {
      untrack(child.pid);
      for (const [id, w] of this.waiting) {
        clearTimeout(w.timer);
        w.reject(
          new Error(`client worker ${name} exited (${signal ?? code}) during request ${id}`),
        );
      }
      this.waiting.clear();
    });
  }

  /** Forks a worker (the built `client-worker.js` beside this file). */
  static start(name: string): ClientWorker {
    const child = fork(join(__dirname, 'client-worker.js'), [], {
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    track(child.pid);
    return new ClientWorker(name, child);
  }

  get pid(): number {
    return this.child.pid ?? -1;
  }

  /** Sends a command and resolves with its result, or rejects after `timeoutMs`. */
  call<C extends Command>(command: C, timeoutMs: number): Promise<ResultOf[C['op']]> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiting.delete(id);
        reject(
          new Error(`client worker ${this.name}: ${command.op} timed out after ${timeoutMs} ms`),
        );
      }, timeoutMs);
      this.waiting.set(id, {
        resolve: (result) => resolve(result as ResultOf[C['op']]),
        reject,
        timer,
      });
      this.child.send({ ...command, id } satisfies Request);
    });
  }

  /** Calls `listener` with every delivery report until the returned function is called. */
  onDelivered(listener: (d: Delivered) => void): () => void {
    this.deliveryListeners.add(listener);
    return () => this.deliveryListeners.delete(listener);
  }

  private receive(message: WorkerMessage): void {
    if (message.type === 'delivered') {
      for (const listener of this.deliveryListeners) listener(message);
      return;
    }
    const w = this.waiting.get(message.id);
    if (!w) return;
    this.waiting.delete(message.id);
    clearTimeout(w.timer);
    if (message.ok) w.resolve(message.result);
    else w.reject(new Error(`client worker ${this.name}: ${message.error}`));
  }

  /** Stops the worker (its tabs disconnect with it) and waits for it to exit. */
  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.kill('SIGTERM');
    await exited;
  }
}

/** Starts `count` workers. */
export function startWorkers(count: number, prefix = 'w'): ClientWorker[] {
  return Array.from({ length: count }, (_, i) => ClientWorker.start(`${prefix}${i + 1}`));
}

/** Stops workers, ignoring those already gone. */
export async function stopWorkers(workers: ClientWorker[]): Promise<void> {
  await Promise.allSettled(workers.map((w) => w.stop()));
}
