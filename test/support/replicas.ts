import { ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { freePort, waitFor } from './ports';

/** The built demo server (`npm run build` makes it), from test/support or dist/test/support. */
function builtDemoMain(): string {
  const compiled = __filename.endsWith('.js');
  return compiled
    ? join(__dirname, '..', '..', 'apps', 'demo', 'main.js')
    : join(__dirname, '..', '..', 'dist', 'apps', 'demo', 'main.js');
}

/** One replica of the built demo, as its own process on a loopback port. */
export class Replica {
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

  static async start(env: Record<string, string>, port?: number): Promise<Replica> {
    const listenOn = port ?? (await freePort());
    const child = spawn(process.execPath, [builtDemoMain()], {
      env: {
        ...process.env,
        HOST: '127.0.0.1',
        PORT: String(listenOn),
        PUSHPAGE_SESSION_SECRET: 'test-secret-0123456789',
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const replica = new Replica(listenOn, child);
    await waitFor(
      `replica on port ${listenOn}`,
      async () => {
        if (child.exitCode !== null) throw new Error(`replica exited: ${replica.output.join('')}`);
        const res = await fetch(`${replica.url}/pushpage/static/pushpage.css`);
        return res.ok;
      },
      20_000,
      100,
    );
    return replica;
  }

  /** Stops the process (SIGTERM, or SIGKILL to simulate a crash) and waits for it. */
  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.kill(signal);
    await exited;
  }
}

/** Starts `count` replicas sharing one Redis. */
export async function startReplicas(
  count: number,
  redisUrl: string,
  env: Record<string, string> = {},
): Promise<Replica[]> {
  return Promise.all(
    Array.from({ length: count }, () => Replica.start({ REDIS_URL: redisUrl, ...env })),
  );
}
