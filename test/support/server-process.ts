import { ChildProcess, spawn } from 'node:child_process';
import { freePort, waitFor } from './ports';

/** How to start a server script as its own process. */
export interface ServerProcessOptions {
  /** What the errors call it: `replica`, `baseline server`. */
  name: string;
  /** The compiled script to run with this Node. */
  script: string;
  env: Record<string, string>;
  /** A path that answers 200 once the server is ready. */
  readyPath: string;
  /** Port to listen on (`PORT`); a free one if not given. */
  port?: number;
  /** Keep a pipe to the child's stdin open (a server that exits when its parent goes). */
  stdinPipe?: boolean;
}

/** A server script running as a child process on a loopback port, keeping its last output. */
export class ServerProcess {
  readonly output: string[] = [];

  private constructor(
    readonly port: number,
    readonly child: ChildProcess,
  ) {
    const keep = (chunk: Buffer) => {
      this.output.push(chunk.toString());
      if (this.output.length > 500) this.output.shift();
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get pid(): number {
    return this.child.pid ?? -1;
  }

  /** Starts the script and waits until `readyPath` answers; kills it if it never does. */
  static async start(options: ServerProcessOptions): Promise<ServerProcess> {
    const port = options.port ?? (await freePort());
    const child = spawn(process.execPath, [options.script], {
      env: { ...process.env, HOST: '127.0.0.1', PORT: String(port), ...options.env },
      stdio: [options.stdinPipe ? 'pipe' : 'ignore', 'pipe', 'pipe'],
    });
    const server = new ServerProcess(port, child);
    let exited: Error | undefined;
    child.once('exit', (code, signal) => {
      // the output of its last moments may still be in the pipes
      setImmediate(() => {
        exited = new Error(
          `${options.name} exited (${signal ?? `code ${code}`}): ${server.output.join('')}`,
        );
      });
    });
    try {
      await waitFor(
        `${options.name} on port ${port}`,
        async () => {
          if (exited) return true;
          return (await fetch(`${server.url}${options.readyPath}`)).ok;
        },
        20_000,
        100,
      );
      if (exited) throw exited;
    } catch (error) {
      child.kill('SIGKILL');
      throw error;
    }
    return server;
  }

  /** Stops the process (SIGTERM, or SIGKILL to simulate a crash) and waits for it. */
  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.kill(signal);
    await exited;
  }
}
