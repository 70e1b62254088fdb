/**
 * The REST baseline: a bare Nest app (Express) reading Pushpage's pages straight from the
 * same Redis, without Pushpage. Run as its own process:
 * `PORT=… REDIS_URL=… node dist/test/bench/bare-rest-server.js`.
 *
 * - `GET /bare/pages/:id`: one EVALSHA of a small Lua script that walks the page's tree
 *   (`HGETALL pp:c:<id>` and `LRANGE pp:k:<id>` for every component, breadth first), the
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
import { Redis } from 'ioredis';

const PREFIX = 'pp:';

/** ARGV: prefix, page id. Returns {{id, {field, value, ...}, {childId, ...}}, ...}. */
const WALK_SCRIPT = `
local prefix = ARGV[1]
local queue, out, head = {ARGV[2]}, {}, 1
while head <= #queue and head <= 10000 do
  local id = queue[head]
  head = head + 1
  local h = redis.call('HGETALL', prefix .. 'c:' .. id)
  if #h > 0 then
    local kids = redis.call('LRANGE', prefix .. 'k:' .. id, 0, -1)
    out[#out + 1] = {id, h, kids}
    for _, kid in ipairs(kids) do queue[#queue + 1] = kid end
  end
end
return out
`;

type Walked = [string, string[], string[]][];
type WalkingRedis = Redis & { bareWalk(prefix: string, id: string): Promise<Walked> };

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
    else if (name === 'sc') node.scope = value === '1';
    else if (name === 'v') node.version = Number(value);
    else if (name.startsWith('p:')) node.props[name.slice(2)] = JSON.parse(value) as JsonValue;
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

let redis: WalkingRedis;

async function readPage(pageId: string): Promise<Page> {
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(pageId)) throw new HttpException('bad page id', 400);
  const walked = await redis.bareWalk(PREFIX, pageId);
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
    await redis
      .multi()
      .hset(`${PREFIX}c:${componentId}`, 'p:text', JSON.stringify(text))
      .hincrby(`${PREFIX}c:${pageId}`, 'v', 1)
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

async function main(): Promise<void> {
  const port = Number(process.env.PORT);
  const redisUrl = process.env.REDIS_URL;
  if (!Number.isInteger(port) || !redisUrl) throw new Error('PORT and REDIS_URL are required');
  const client = new Redis(redisUrl, { maxRetriesPerRequest: 2 });
  client.defineCommand('bareWalk', { numberOfKeys: 0, lua: WALK_SCRIPT });
  redis = client as WalkingRedis;
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
