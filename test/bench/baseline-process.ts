import { ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { freePort, waitFor } from '../support/ports';

/** One baseline server (`baseline-server.ts`, built) as its own process on a loopback port. */
export class BaselineProcess {
  readonly output: string[] = [];

  private constructor(
    readonly port: number,
    readonly child: ChildProcess,
  ) {
    const keep = (chunk: Buffer) => {
      this.output.push(chunk.toString());
      if (this.output.length > 200) this.output.shift();
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

  static async start(redisUrl: string): Promise<BaselineProcess> {
    const port = await freePort();
    const child = spawn(process.execPath, [join(__dirname, 'baseline-server.js')], {
      env: { ...process.env, PORT: String(port), REDIS_URL: redisUrl },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const server = new BaselineProcess(port, child);
    await waitFor(
      `baseline server on port ${port}`,
      async () => {
        if (child.exitCode !== null)
          throw new Error(`baseline server exited: ${server.output.join('')}`);
        return (await fetch(`${server.url}/health`)).ok;
      },
      20_000,
      100,
    );
    return server;
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.kill('SIGTERM');
    await exited;
  }
}
