import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DemoApp } from '../support/demo-app';

/** The shell blocks of docs/rest.md, in order. */
function walkthrough(): string[] {
  const doc = readFileSync(join(__dirname, '..', '..', 'docs', 'rest.md'), 'utf8');
  return [...doc.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1]);
}

/** The value a line's trailing `# comment` says the command prints. */
function promised(line: string): string | undefined {
  const match = /#\s+(.+)$/.exec(line);
  return match && !line.trimStart().startsWith('#') ? match[1].trim() : undefined;
}

/** Runs a bash script (without blocking this process, which serves the requests). */
function runScript(
  script: string,
  base: string,
): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn('bash', ['-euo', 'pipefail', '-c', script], {
      cwd: mkdtempSync(join(tmpdir(), 'pushpage-rest-')),
      env: { ...process.env, BASE: base },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr });
    });
  });
}

describe('docs/rest.md', () => {
  let app: DemoApp;
  beforeAll(async () => {
    app = await DemoApp.start();
  });
  afterAll(async () => {
    await app?.stop();
  });

  it('walks a non-socket client through the API, printing what the comments promise', async () => {
    const blocks = walkthrough();
    expect(blocks.length).toBeGreaterThanOrEqual(5);
    const script = blocks.join('\n');
    const result = await runScript(script, app.url);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const printed = result.stdout.trim().split('\n');
    const promises = script
      .split('\n')
      .map(promised)
      .filter((p): p is string => p !== undefined && !p.includes('…'));
    expect(promises).toEqual([
      'Hello! (click me)',
      'Hello! I was clicked 1 times',
      '304',
      '204',
      '404',
    ]);
    for (const promise of promises) expect(printed).toContain(promise);
    expect(printed.some((line) => line.includes('"code":"not-listening"'))).toBe(true);
  });
});
