/**
 * The OpenAPI document the demo serves: what it promises (versions, servers, the session
 * cookie, operation ids, every status and header the code answers with) and that Redocly
 * finds nothing wrong in it, with the project's redocly.yaml and nothing from the network.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { OpenAPIObject, OperationObject, SchemaObject } from '@nestjs/swagger';
import { DemoApp } from '../support/demo-app';
import { RedisServer } from '../support/redis-server';

const ROOT = join(__dirname, '..', '..');

/** Redocly's problems with an OpenAPI document: errors and warnings alike. */
function redoclyLint(file: string): Promise<{ status: number | null; problems: unknown[] }> {
  return new Promise((resolve) => {
    const child = spawn(
      join(ROOT, 'node_modules', '.bin', 'redocly'),
      ['lint', file, '--config', join(ROOT, 'redocly.yaml'), '--format', 'json'],
      {
        cwd: ROOT,
        // nothing leaves the machine: no usage report, no check for a newer release
        env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' },
      },
    );
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.on('close', (status) => {
      const json = out.slice(out.indexOf('{'));
      resolve({ status, problems: (JSON.parse(json) as { problems: unknown[] }).problems });
    });
  });
}

describe('the OpenAPI document', () => {
  let app: DemoApp;
  let doc: OpenAPIObject;
  let dir: string;
  beforeAll(async () => {
    app = await DemoApp.start();
    doc = (await (await fetch(`${app.url}/api/docs-json`)).json()) as OpenAPIObject;
    mkdirSync(join(ROOT, '.tmp'), { recursive: true });
    dir = mkdtempSync(join(ROOT, '.tmp', 'openapi-'));
  });
  afterAll(async () => {
    await app?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  function operation(path: string, method: 'get' | 'post' | 'delete'): OperationObject {
    const found = doc.paths[path]?.[method];
    if (!found) throw new Error(`no ${method} ${path}`);
    return found;
  }

  it('names the package version, relative servers and the session cookie', () => {
    const pkg = JSON.parse(
      readFileSync(join(ROOT, 'libs', 'pushpage', 'package.json'), 'utf8'),
    ) as { version: string };
    expect(doc.info.version).toBe(pkg.version);
    expect(doc.servers).toEqual([{ url: '/' }]);
    expect(doc.components?.securitySchemes?.session).toMatchObject({
      type: 'apiKey',
      in: 'cookie',
      name: 'pp_session',
    });
  });

  it('documents every status each operation answers, with its headers', () => {
    const always = ['429', '500', '503'];
    const expected: [string, 'get' | 'post' | 'delete', string, string[]][] = [
      ['/api/pages', 'post', 'createPage', ['201', '400', '403', '404', '413']],
      ['/api/pages/{pageId}', 'get', 'getPage', ['200', '304', '400', '403', '404']],
      [
        '/api/pages/{pageId}/components/{componentId}/children',
        'get',
        'getChildren',
        ['200', '400', '403', '404'],
      ],
      [
        '/api/pages/{pageId}/events',
        'post',
        'sendEvent',
        ['200', '204', '400', '403', '404', '409', '413', '422'],
      ],
      [
        '/api/pages/{pageId}/uploads/{componentId}',
        'post',
        'uploadFiles',
        ['200', '204', '400', '403', '404', '409', '413', '415', '422'],
      ],
      ['/api/pages/{pageId}', 'delete', 'deletePage', ['204', '400', '403', '404']],
    ];
    for (const [path, method, id, statuses] of expected) {
      const op = operation(path, method);
      expect(op.operationId).toBe(id);
      expect(Object.keys(op.responses).sort()).toEqual([...statuses, ...always].sort());
    }
    const created = operation('/api/pages', 'post').responses['201'] ?? {};
    expect(Object.keys(('headers' in created && created.headers) || {})).toEqual(
      expect.arrayContaining(['ETag', 'Set-Cookie']),
    );
    const read = operation('/api/pages/{pageId}', 'get');
    expect(read.parameters).toEqual(
      expect.arrayContaining([expect.objectContaining({ name: 'If-None-Match', in: 'header' })]),
    );
    const unavailable = read.responses['503'] ?? {};
    expect(Object.keys(('headers' in unavailable && unavailable.headers) || {})).toEqual([
      'Retry-After',
    ]);
  });

  it('gives bodies their real types and limits', () => {
    const schemas = doc.components?.schemas as Record<string, SchemaObject>;
    const create = schemas.CreatePageDto.properties as Record<string, SchemaObject>;
    expect(create.route).toMatchObject({ type: 'string', maxLength: 200 });
    expect(create.query).toMatchObject({
      type: 'object',
      additionalProperties: { type: 'string', maxLength: 2000 },
      maxProperties: 50,
    });
    const event = schemas.ApiEventDto.properties as Record<string, SchemaObject>;
    expect(event.value.oneOf?.[0]).toMatchObject({ nullable: true });
    expect(event.value.oneOf?.map((s) => (s as SchemaObject).type)).toEqual([
      'string',
      'number',
      'boolean',
      'array',
    ]);
    expect(event.event).toMatchObject({ type: 'object', additionalProperties: false });
  });

  /** The headers the document promises on an answer, but those it says come only at times. */
  function promisedHeaders(path: string, method: 'get' | 'post', status: number): string[] {
    const answer = operation(path, method).responses[String(status)] ?? {};
    const sometimes = ['Set-Cookie', 'Retry-After'];
    return Object.keys(('headers' in answer && answer.headers) || {}).filter(
      (name) => !sometimes.includes(name),
    );
  }

  it('is kept by the answers: their statuses and headers are documented ones', async () => {
    const opened = await fetch(`${app.url}/api/pages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ route: '/hello' }),
    });
    expect(opened.status).toBe(201);
    const promised = promisedHeaders('/api/pages', 'post', 201);
    expect(promised).toEqual(expect.arrayContaining(['ETag', 'X-RateLimit-Limit']));
    for (const name of [...promised, 'Set-Cookie']) expect(opened.headers.get(name)).toBeTruthy();
    const { pageId } = (await opened.json()) as { pageId: string };
    const cookie = (opened.headers.get('set-cookie') ?? '').split(';')[0];
    const read = await fetch(`${app.url}/api/pages/${pageId}`, { headers: { cookie } });
    for (const name of promisedHeaders('/api/pages/{pageId}', 'get', 200))
      expect(read.headers.get(name)).toBeTruthy();
    const polled = await fetch(`${app.url}/api/pages/${pageId}`, {
      headers: { cookie, 'if-none-match': read.headers.get('etag') ?? '' },
    });
    expect(polled.status).toBe(304);
    for (const name of promisedHeaders('/api/pages/{pageId}', 'get', 304))
      expect(polled.headers.get(name)).toBeTruthy();
  });

  /** The headers an answer of `status` is documented with, Retry-After included. */
  function documentedHeaders(path: string, method: 'get' | 'post', status: number): string[] {
    const answer = operation(path, method).responses[String(status)] ?? {};
    return Object.keys(('headers' in answer && answer.headers) || {});
  }

  it('is kept by a refusal over the rate limit: 429 with Retry-After and the budget it spent', async () => {
    const limited = await DemoApp.start({ PUSHPAGE_REST_RATE_LIMIT: '2' });
    try {
      const answers = await Promise.all(
        Array.from({ length: 6 }, () => fetch(`${limited.url}/api/pages/nosuchpage`)),
      );
      const refused = answers.find((res) => res.status === 429);
      if (!refused) throw new Error('no request was refused');
      expect(documentedHeaders('/api/pages/{pageId}', 'get', 429)).toEqual([
        'Retry-After',
        'X-RateLimit-Limit',
        'X-RateLimit-Remaining',
        'X-RateLimit-Reset',
      ]);
      for (const name of documentedHeaders('/api/pages/{pageId}', 'get', 429))
        expect(refused.headers.get(name)).toMatch(/^\d+$/);
      expect(await refused.json()).toMatchObject({ statusCode: 429, code: 'rate-limited' });
    } finally {
      await limited.stop();
    }
  });

  it('is kept by an outage: 503 with Retry-After while Redis cannot be reached', async () => {
    const redis = await RedisServer.start();
    const onRedis = await DemoApp.start({ REDIS_URL: redis.url });
    try {
      await redis.stop();
      const res = await fetch(`${onRedis.url}/api/pages/nosuchpage`);
      expect(res.status).toBe(503);
      expect(documentedHeaders('/api/pages/{pageId}', 'get', 503)).toEqual(['Retry-After']);
      expect(res.headers.get('retry-after')).toMatch(/^\d+$/);
      expect(await res.json()).toMatchObject({ statusCode: 503, code: 'unavailable' });
    } finally {
      await onRedis.stop();
      await redis.dispose();
    }
  }, 30_000);

  it.each([
    ['a route over its maxLength', { route: `/${'x'.repeat(200)}` }, /at most 200 characters/],
    ['a query value that is not text', { route: '/hello', query: { num: 3 } }, /query must be/],
    ['a query that is null', { route: '/hello', query: null }, /query must be an object/],
    [
      'more query parameters than maxProperties',
      { route: '/hello', query: Object.fromEntries([...Array(51).keys()].map((i) => [i, 'v'])) },
      /at most 50 strings/,
    ],
    ['a property the schema does not have', { route: '/hello', extra: 1 }, /extra should not/],
  ])('refuses %s, as the schema does, with 400 and a message', async (_what, body, message) => {
    const res = await fetch(`${app.url}/api/pages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({
      statusCode: 400,
      code: 'bad-request',
      message: expect.stringMatching(message),
    });
  });

  it('passes Redocly’s lint', async () => {
    const file = join(dir, 'openapi.json');
    writeFileSync(file, JSON.stringify(doc));
    const result = await redoclyLint(file);
    expect(result.problems).toEqual([]);
    expect(result.status).toBe(0);
  }, 60_000);
});
