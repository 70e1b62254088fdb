/**
 * The OpenAPI document is a contract a generated client can hold the server to: types made
 * from the live document by openapi-typescript, a program that uses them with openapi-fetch
 * (test/openapi-client/walk.ts) type-checked by tsc, mistakes it must refuse included, then
 * run against the app through the walk-through of docs/rest.md.
 */
import { spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { DemoApp } from '../support/demo-app';

const ROOT = join(__dirname, '..', '..');

/** Type-checks `file` as strict TypeScript; the diagnostics, as text. */
function typeErrors(file: string): string[] {
  const program = ts.createProgram([file], {
    strict: true,
    noEmit: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.CommonJS,
    moduleResolution: ts.ModuleResolutionKind.Node10,
    esModuleInterop: true,
    skipLibCheck: true,
    types: ['node'],
    lib: ['lib.es2022.d.ts', 'lib.dom.d.ts'],
  });
  return ts
    .getPreEmitDiagnostics(program)
    .map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
}

/** Runs node with `args` in the repository, without blocking this process (it serves). */
function node(
  args: string[],
  env: Record<string, string> = {},
): Promise<{ status: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { cwd: ROOT, env: { ...process.env, ...env } });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve({ status, out });
    });
  });
}

/**
 * Writes the types of the OpenAPI document `spec` to `schema`, with openapi-typescript's Node
 * API (an ES module, which Jest's module system cannot load, so in a node of its own).
 */
async function generateTypes(spec: string, schema: string): Promise<void> {
  const script =
    "import { readFileSync, writeFileSync } from 'node:fs';\n" +
    "import openapiTS, { astToString } from 'openapi-typescript';\n" +
    'const [spec, schema] = process.argv.slice(1);\n' +
    "writeFileSync(schema, astToString(await openapiTS(JSON.parse(readFileSync(spec, 'utf8')))));\n";
  const result = await node(['--input-type=module', '-e', script, spec, schema]);
  expect(result).toEqual({ status: 0, out: '' });
}

describe('a client generated from the OpenAPI document', () => {
  let app: DemoApp;
  let dir: string;
  beforeAll(async () => {
    app = await DemoApp.start();
    mkdirSync(join(ROOT, '.tmp'), { recursive: true });
    // inside the repository, so that the program finds openapi-fetch
    dir = mkdtempSync(join(ROOT, '.tmp', 'openapi-client-'));
  });
  afterAll(async () => {
    await app?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('type-checks the walk-through, refuses wrong types, and drives the live API', async () => {
    const spec = join(dir, 'openapi.json');
    writeFileSync(spec, await (await fetch(`${app.url}/api/docs-json`)).text());
    await generateTypes(spec, join(dir, 'schema.d.ts'));
    const program = join(dir, 'walk.ts');
    copyFileSync(join(ROOT, 'test', 'openapi-client', 'walk.ts'), program);
    expect(typeErrors(program)).toEqual([]);

    // a program that gets a type wrong does not compile
    const wrong = join(dir, 'wrong.ts');
    writeFileSync(
      wrong,
      "import createClient from 'openapi-fetch';\nimport type { paths } from './schema';\n" +
        "void createClient<paths>().POST('/api/pages', { body: { route: '/', query: { n: 3 } } });\n",
    );
    expect(typeErrors(wrong).join('\n')).toMatch(/not assignable to type 'string'/);

    const js = ts.transpileModule(readFileSync(program, 'utf8'), {
      compilerOptions: {
        module: ts.ModuleKind.CommonJS,
        target: ts.ScriptTarget.ES2022,
        esModuleInterop: true,
      },
    }).outputText;
    writeFileSync(join(dir, 'walk.js'), js);
    const result = await node([join(dir, 'walk.js')], { BASE: app.url });
    expect(result.out.trim().split('\n')).toEqual([
      'opened div version 0',
      'event q-slider 3: 200',
      'event q-toggle true: 200',
      'event q-input "Ada": 200',
      'event q-select null: 200',
      'event q-table []: 200',
      'poll: 304',
      'refused: 422 not-listening',
      'invalid: 400 bad-request',
      'bad id: 400 bad-request',
      'upload: 200 Stored note.txt',
      'upload refused: 415 unsupported-type',
      'delete: 204',
      'gone: 404 page-gone',
    ]);
    expect(result.status).toBe(0);
  }, 60_000);
});
