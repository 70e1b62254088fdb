import { ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, waitFor } from './ports';

/** haproxy (Debian package) on a loopback port, round-robin over servers, no stickiness. */
export class Haproxy {
  private constructor(
    readonly port: number,
    private readonly child: ChildProcess,
  ) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** `port`: where it listens (a free one if not given), for replicas told their public origin. */
  static async start(serverPorts: number[], port?: number): Promise<Haproxy> {
    port ??= await freePort();
    const config = [
      'defaults',
      '  mode http',
      '  timeout connect 1s',
      '  timeout client 60s',
      '  timeout server 60s',
      '  timeout tunnel 1h',
      'frontend fe',
      `  bind 127.0.0.1:${port}`,
      '  default_backend replicas',
      'backend replicas',
      '  balance roundrobin',
      // a replica that is shutting down answers 503 here, and gets no new connections
      '  option httpchk GET /readyz',
      '  http-check expect status 200',
      '  option redispatch',
      '  retries 2',
      ...serverPorts.map(
        (p, i) => `  server r${i + 1} 127.0.0.1:${p} check inter 500 fall 1 rise 1`,
      ),
      '',
    ].join('\n');
    const file = join(mkdtempSync(join(tmpdir(), 'pushpage-haproxy-')), 'haproxy.cfg');
    writeFileSync(file, config);
    const child = spawn('haproxy', ['-db', '-f', file], { stdio: 'ignore' });
    let failure: Error | undefined;
    child.on('error', (e) => (failure = e));
    const proxy = new Haproxy(port, child);
    await waitFor(`haproxy on port ${port}`, async () => {
      if (failure)
        throw new Error(`haproxy could not start (apt-get install haproxy): ${failure.message}`);
      return (await fetch(`${proxy.url}/pushpage/static/pushpage.css`)).ok;
    });
    return proxy;
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.kill('SIGTERM');
    await exited;
  }
}
