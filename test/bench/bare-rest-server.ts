/**
 * The REST baseline: a bare Nest app (Express) reading Pushpage's pages straight from the
 * same Redis, without Pushpage. Run as its own process:
 * `PORT=… REDIS_URL=… node dist/test/bench/bare-rest-server.js`, or with
 * `REDIS_CLUSTER_NODES=host:port,…` instead of `REDIS_URL` on a Redis Cluster (every read and
 * the MULTI touch one scope's keys, which share a hash slot).
 *
 * - `GET /bare/pages/:id`: the page's scope read whole (`HGETALL pp:{<id>}` and
 *   `HGETALL pp:{<id>}:in`, then the same for each shared element on it), the
 *   ETag computed as Pushpage computes it (SHA-1 of the sorted scope versions), 304 when
 *   `If-None-Match` equals it, else 200 with `{pageId, version, tree}` nested like Pushpage's.
 * - `POST /bare/pages/:id/events` `{componentId, type}`: the same read, a check that the
 *   component is on the page and listens to `type`, then one MULTI writing a new `p:text` on
 *   the component and raising the page's `v`, and 200 with the page as read, the change
 *   applied in memory.
 * - `GET /health` answers 200 once the server listens.
 *
 * No session check, no component classes, no locks, no publish. It exits when its stdin
 * closes, so it never outlives the bench.
 */
import 'reflect-metadata';
import { createHash } from 'node:crypto';
import {
  Body,
  Controller,
  Get,
  Headers,
  HttpCode,
  HttpException,
  Module,
  Param,
  Post,
  Res,
} from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { Response } from 'express';
import { Cluster, Redis } from 'ioredis';

const PREFIX = 'pp:';

type Walked = [string, string[], string[]][];

interface Json {
  [key: string]: JsonValue;
}
type JsonValue = string | number | boolean | null | JsonValue[] | Json;

interface Node {
  id: string;
  tag: string;
  props: Json;
  events?: string[];
  children?: Node[];
  /** `sc` and `v`, kept for the ETag */
  scope: boolean;
  version: number;
  kids: string[];
}

interface Page {
  pageId: string;
  nodes: Map<string, Node>;
}

function nodeOf(id: string, flat: string[], kids: string[]): Node {
  const node: Node = { id, tag: '', props: {}, scope: false, version: 0, kids };
  const events: string[] = [];
  for (let i = 0; i < flat.length; i += 2) {
    const [name, value] = [flat[i], flat[i + 1]];
    if (name === 't') node.tag = value.toLowerCase();
    else if (name === 'v') {
      node.scope = true;
      node.version = Number(value);
    } else if (name.startsWith('p:')) node.props[name.slice(2)] = JSON.parse(value) as JsonValue;
    else if (name.startsWith('e:')) events.push(name.slice(2));
  }
  if (events.length > 0) node.events = events;
  return node;
}

function etagOf(page: Page): string {
  const versions = [...page.nodes.values()]
    .filter((n) => n.scope)
    .map((n): [string, number] => [n.id, n.version])
    .sort(([a], [b]) => (a < b ? -1 : 1));
  const hash = createHash('sha1').update(JSON.stringify(versions)).digest('base64url');
  return `W/"${hash.slice(0, 20)}"`;
}

function viewOf(page: Page): object {
  let version = 0;
  for (const n of page.nodes.values()) if (n.scope) version += n.version;
  const build = (node: Node, depth: number): object => {
    const children = node.kids
      .map((id) => page.nodes.get(id))
      .filter((c): c is Node => c !== undefined && depth < 1000)
      .map((c) => build(c, depth + 1));
    return {
      id: node.id,
      tag: node.tag,
      props: node.props,
      ...(node.events ? { events: node.events } : {}),
      ...(children.length > 0 ? { children } : {}),
    };
  };
  const root = page.nodes.get(page.pageId);
  if (!root) throw new HttpException('no root', 500);
  return { pageId: page.pageId, version, tree: build(root, 0) };
}

let redis: Redis | Cluster;

/** A scope's components as [id, flat fields, child ids], its own record first. */
async function readScope(scopeId: string): Promise<Walked> {
  const key = `${PREFIX}{${scopeId}}`;
  const [head, inside] = await Promise.all([redis.hgetall(key), redis.hgetall(`${key}:in`)]);
  if (!head.t) return [];
  const split = (list?: string) => (list ? list.split(' ') : []);
  const flat = (fields: Record<string, string>) => Object.entries(fields).flat();
  const byId = new Map<string, Record<string, string>>();
  for (const [field, value] of Object.entries(inside)) {
    const bar = field.indexOf('|');
    const id = field.slice(0, bar);
    byId.set(id, { ...byId.get(id), [field.slice(bar + 1)]: value });
  }
  const out: Walked = [[scopeId, flat(head), split(head.k)]];
  for (const [id, fields] of byId) if (fields.t) out.push([id, flat(fields), split(fields.k)]);
  return out;
}

/** A page and every shared element on it. */
async function walkPage(pageId: string): Promise<Walked> {
  const out: Walked = [];
  const seen = new Set<string>();
  let scopes = [pageId];
  while (scopes.length > 0 && seen.size < 1000) {
    for (const id of scopes) seen.add(id);
    const read = (await Promise.all(scopes.map(readScope))).flat();
    out.push(...read);
    const local = new Set(out.map(([id]) => id));
    scopes = read.flatMap(([, , kids]) => kids).filter((id) => !local.has(id) && !seen.has(id));
  }
  return out;
}

async function readPage(pageId: string): Promise<Page> {
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(pageId)) throw new HttpException('bad page id', 400);
  const walked = await walkPage(pageId);
  if (walked.length === 0) throw new HttpException('no such page', 404);
  const nodes = new Map<string, Node>();
  for (const [id, flat, kids] of walked) nodes.set(id, nodeOf(id, flat, kids));
  return { pageId, nodes };
}

@Controller('bare/pages')
class BarePagesController {
  @Get(':pageId')
  async read(
    @Param('pageId') pageId: string,
    @Headers('if-none-match') ifNoneMatch: string | undefined,
    @Res() res: Response,
  ): Promise<void> {
    const page = await readPage(pageId);
    const etag = etagOf(page);
    res.setHeader('ETag', etag);
    res.setHeader('Cache-Control', 'no-cache');
    if (ifNoneMatch === etag) {
      res.status(304).end();
      return;
    }
    res.status(200).json(viewOf(page));
  }

  @Post(':pageId/events')
  @HttpCode(200)
  async event(@Param('pageId') pageId: string, @Body() body: unknown): Promise<object> {
    const { componentId, type } = (body ?? {}) as { componentId?: unknown; type?: unknown };
    if (typeof componentId !== 'string' || typeof type !== 'string')
      throw new HttpException('componentId and type are required', 400);
    const page = await readPage(pageId);
    const target = page.nodes.get(componentId);
    const root = page.nodes.get(pageId);
    if (!target || !root) throw new HttpException('no such component', 404);
    if (!target.events?.includes(type)) throw new HttpException('not listening', 422);
    const text = `Clicked at ${Date.now()}`;
    const head = `${PREFIX}{${pageId}}`;
    const field = componentId === pageId ? 'p:text' : `${componentId}|p:text`;
    await redis
      .multi()
      .hset(componentId === pageId ? head : `${head}:in`, field, JSON.stringify(text))
      .hincrby(head, 'v', 1)
      .exec();
    target.props.text = text;
    root.version++;
    return viewOf(page);
  }
}

@Controller()
class HealthController {
  @Get('health')
  health(): string {
    return 'ok';
  }
}

@Module({ controllers: [BarePagesController, HealthController] })
class BareRestModule {}

/** A client of `REDIS_URL`, or of the Redis Cluster whose seeds `REDIS_CLUSTER_NODES` lists. */
function connect(env: NodeJS.ProcessEnv): Redis | Cluster {
  if (env.REDIS_URL) return new Redis(env.REDIS_URL, { maxRetriesPerRequest: 2 });
  const seeds = (env.REDIS_CLUSTER_NODES ?? '').split(',').filter(Boolean);
  if (seeds.length === 0) throw new Error('REDIS_URL or REDIS_CLUSTER_NODES is required');
  return new Cluster(
    seeds.map((seed) => {
      const colon = seed.lastIndexOf(':');
      return { host: seed.slice(0, colon), port: Number(seed.slice(colon + 1)) };
    }),
    { redisOptions: { maxRetriesPerRequest: 2 } },
  );
}

async function main(): Promise<void> {
  const port = Number(process.env.PORT);
  if (!Number.isInteger(port)) throw new Error('PORT is required');
  const client = connect(process.env);
  redis = client;
  const app = await NestFactory.create(BareRestModule, { logger: ['error'] });
  await app.listen(port, '127.0.0.1');
  const stop = () => {
    client.disconnect();
    process.exit(0);
  };
  process.stdin.on('end', stop);
  process.stdin.on('close', stop);
  process.stdin.resume();
  process.on('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
