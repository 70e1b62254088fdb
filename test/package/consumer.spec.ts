/**
 * The published package, used as a stranger would: `npm pack` the library, install the tarball
 * into a new Nest app in a temporary folder outside this workspace (no path aliases, no
 * workspace links), compile the app with its own tsconfig against the package's type
 * declarations, start it, and drive its page with a Socket.IO client and over REST, and from
 * the app's own test through the package's testing entry point.
 */
import { execFile } from 'node:child_process';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Socket } from 'socket.io-client';
import { connectTab, loadPage, request, ViewNode, viewId, viewNodes } from '../support/demo-app';
import { waitFor } from '../support/ports';
import { ServerProcess } from '../support/server-process';

const run = promisify(execFile);
const ROOT = join(__dirname, '..', '..');
const FIXTURE = join(__dirname, 'consumer-app');
/** npm may fetch what its cache lacks; everything else here is loopback. */
const INSTALL_TIMEOUT_MS = 8 * 60_000;

jest.setTimeout(INSTALL_TIMEOUT_MS + 60_000);

/** The workspace's exact version of a package, so the install matches what the tests ran. */
async function workspaceVersion(name: string): Promise<string> {
  const manifest = JSON.parse(
    await readFile(join(ROOT, 'node_modules', name, 'package.json'), 'utf8'),
  ) as { version: string };
  return manifest.version;
}

async function sh(command: string, args: string[], cwd: string): Promise<string> {
  const started = Date.now();
  process.stdout.write(`consumer: ${command} ${args.join(' ')}\n`);
  const { stdout } = await run(command, args, {
    cwd,
    timeout: INSTALL_TIMEOUT_MS,
    maxBuffer: 64 * 1024 * 1024,
    env: { ...process.env, NPM_CONFIG_UPDATE_NOTIFIER: 'false', NPM_CONFIG_FUND: 'false' },
  });
  process.stdout.write(`consumer: done in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
  return stdout;
}

/** The Nest packages an app brings (the library's peers), by Nest major version. */
const NEST_PACKAGES = [
  '@nestjs/common',
  '@nestjs/core',
  '@nestjs/platform-express',
  '@nestjs/platform-socket.io',
  '@nestjs/websockets',
  '@nestjs/swagger',
  '@nestjs/terminus',
];

/**
 * The Nest lines the library's peer ranges accept: 11 at the exact versions this workspace
 * tests with, 12 at the newest release npm finds.
 */
const NEST_LINES: [line: string, versionOf: (name: string) => Promise<string>][] = [
  ['Nest 11', workspaceVersion],
  ['Nest 12', async () => '^12.0.0'],
];

describe.each(NEST_LINES)('the packed library in a new %s app', (line, nestVersion) => {
  let work: string;
  let app: string;
  let tarball: string;
  let server: ServerProcess | undefined;
  const sockets: Socket[] = [];

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'pushpage-consumer-'));
    app = join(work, 'app');

    // the package, built and packed as `npm publish` would (prepack builds it)
    const packed = JSON.parse(
      await sh(
        'npm',
        ['pack', '--workspace', 'pushpage', '--pack-destination', work, '--json'],
        ROOT,
      ),
    ) as { filename: string; files: { path: string }[] }[];
    tarball = join(work, packed[0].filename);
    const files = packed[0].files.map((f) => f.path);
    expect(files).toEqual(
      expect.arrayContaining(['dist/index.js', 'dist/index.d.ts', 'package.json']),
    );
    expect(files).toEqual(
      expect.arrayContaining(['dist/client/pushpage.js', 'dist/client/pushpage.css']),
    );
    expect(files.filter((f) => f.startsWith('src/') || f.includes('.spec.'))).toEqual([]);

    // a new app: its own sources, tsconfig and package.json, the tarball as a dependency
    await cp(join(FIXTURE, 'src'), join(app, 'src'), { recursive: true });
    await cp(join(FIXTURE, 'tsconfig.json'), join(app, 'tsconfig.json'));
    const dependencies: Record<string, string> = { pushpage: `file:${tarball}` };
    for (const name of NEST_PACKAGES) dependencies[name] = await nestVersion(name);
    dependencies['reflect-metadata'] = await workspaceVersion('reflect-metadata');
    dependencies.rxjs = await workspaceVersion('rxjs');
    const devDependencies = { '@types/node': await workspaceVersion('@types/node') };
    await writeFile(
      join(app, 'package.json'),
      JSON.stringify(
        { name: 'greeter', private: true, version: '1.0.0', dependencies, devDependencies },
        null,
        2,
      ),
    );
    // the library's peers (Nest's socket platform, Swagger, class-validator, ...) come with it
    await sh('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund'], app);
    // compiled with the app's own tsconfig: no path aliases, the package's .d.ts files
    await sh(
      process.execPath,
      [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', app],
      app,
    );

    server = await ServerProcess.start({
      name: 'consumer app',
      script: join(app, 'dist', 'main.js'),
      env: { SESSION_SECRET: 'consumer-secret-0123456789' },
      readyPath: '/pushpage/static/pushpage.js',
    });
  });

  afterAll(async () => {
    for (const socket of sockets) socket.disconnect();
    await server?.stop();
    if (work) await rm(work, { recursive: true, force: true });
  });

  it(`runs on ${line}`, async () => {
    const core = await sh(
      process.execPath,
      ['-p', "require('@nestjs/core/package.json').version"],
      app,
    );
    expect(`Nest ${core.trim().split('.')[0]}`).toBe(line);
  });

  it('installed the package from the tarball, not from this workspace', async () => {
    const resolved = await sh(process.execPath, ['-p', "require.resolve('pushpage')"], app);
    expect(resolved.trim()).toBe(join(app, 'node_modules', 'pushpage', 'dist', 'index.js'));
    // the wire types for REST clients, a second entry point (the app's page-reader.ts
    // compiled against its declarations above)
    const protocol = await sh(
      process.execPath,
      ['-p', "require.resolve('pushpage/protocol')"],
      app,
    );
    expect(protocol.trim()).toBe(join(app, 'node_modules', 'pushpage', 'dist', 'protocol.js'));
  });

  it('drives its page from its own test with pushpage/testing, which the main entry never loads', async () => {
    const testing = await sh(process.execPath, ['-p', "require.resolve('pushpage/testing')"], app);
    expect(testing.trim()).toBe(
      join(app, 'node_modules', 'pushpage', 'dist', 'testing', 'index.js'),
    );
    // how many of its files are loaded after the main entry, then after itself
    const loaded = await sh(
      process.execPath,
      [
        '-p',
        "const count = () => Object.keys(require.cache).filter((f) => f.includes('pushpage/dist/testing/')).length; " +
          "require('reflect-metadata'); require('pushpage'); const main = count(); " +
          "require('pushpage/testing'); [main, count() > 0].join(' ')",
      ],
      app,
    );
    expect(loaded.trim()).toBe('0 true');

    // the app's test (compiled with the app above) boots it in its own process
    const { stdout } = await run(process.execPath, [join(app, 'dist', 'drive-greeting.js')], {
      cwd: app,
      timeout: 60_000,
      env: { ...process.env, SESSION_SECRET: 'consumer-secret-0123456789' },
    });
    expect(stdout.trim()).toBe('Hello from an injected service, 2 times');
  });

  it('serves the page, and a socket tab’s click runs the handler with the injected service', async () => {
    if (!server) throw new Error('the app did not start');
    const page = await loadPage(server.url, '/greet');
    const button = page.snapshot.nodes.find((n) => n.t === 'button');
    const output = page.snapshot.nodes.find(
      (n) => (n.p.attrs as Record<string, string> | undefined)?.id === 'output',
    );
    if (!button || !output) throw new Error('the page has no button or output');

    const socket = connectTab(server.url, page.cookie);
    sockets.push(socket);
    const texts: unknown[] = [];
    socket.on('patch', (patch: { o: unknown[][] }) => {
      for (const op of patch.o) if (op[0] === 'set' && op[1] === output.i) texts.push(op[3]);
    });
    expect(
      await request(socket, 'join', {
        pageId: page.snapshot.pageId,
        versions: page.snapshot.versions,
      }),
    ).toMatchObject({ ok: true });
    const click = () =>
      request(socket, 'event', {
        pageId: page.snapshot.pageId,
        componentId: button.i,
        type: 'click',
      });
    expect(await click()).toMatchObject({ ok: true });
    expect(await click()).toMatchObject({ ok: true });
    await waitFor('two greetings', () => texts.length >= 2);
    expect(texts).toEqual([
      'Hello from an injected service, 1 time',
      'Hello from an injected service, 2 times',
    ]);
  });

  it('answers REST clients on the prefix the app chose', async () => {
    if (!server) throw new Error('the app did not start');
    const opened = await fetch(`${server.url}/v1/pages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ route: '/greet' }),
    });
    expect(opened.status).toBe(201);
    const cookie = (opened.headers.get('set-cookie') ?? '').split(';')[0];
    const view = (await opened.json()) as { pageId: string; tree: ViewNode };
    const button = viewNodes(view.tree).find((n) => viewId(n) === 'greet');
    const sent = await fetch(`${server.url}/v1/pages/${view.pageId}/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie },
      body: JSON.stringify({ componentId: button?.id, type: 'click' }),
    });
    expect(sent.status).toBe(200);
    const after = (await sent.json()) as { tree: ViewNode };
    const output = viewNodes(after.tree).find((n) => viewId(n) === 'output');
    expect(output?.props.text).toBe('Hello from an injected service, 1 time');

    const read = await fetch(`${server.url}/v1/pages/${view.pageId}`, { headers: { cookie } });
    expect(read.status).toBe(200);
    const unknown = await fetch(`${server.url}/v1/pages/${view.pageId}/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie },
      body: JSON.stringify({ componentId: 'no-such-component', type: 'click' }),
    });
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ statusCode: 404, code: 'not-found' });
  });
});
