import 'reflect-metadata';
import { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { io, Socket } from 'socket.io-client';
import { AppModule } from '../../apps/demo/app.module';
import { TEST_LIMITS } from './replicas';
import { configureApp } from '../../apps/demo/setup';
import { NestExpressApplication } from '@nestjs/platform-express';
import { PageSnapshot } from 'pushpage';
import { PUSHPAGE_STORE, PushpageStore } from '../../libs/pushpage/src/store/store';
import { freePort } from './ports';

/** The demo app in this process, on a free port. */
export class DemoApp {
  private constructor(
    readonly app: INestApplication,
    readonly url: string,
  ) {}

  static async start(env: Record<string, string> = {}): Promise<DemoApp> {
    // a port known before start: the demo's own origins (http://127.0.0.1:PORT) are made of it
    const port = Number(env.PORT ?? (await freePort()));
    const module = AppModule.register({
      ...TEST_LIMITS,
      PUSHPAGE_SESSION_SECRET: 'test-secret-0123456789',
      PUSHPAGE_LOG_LEVEL: 'warn',
      PORT: String(port),
      ...env,
    });
    const app = await NestFactory.create<NestExpressApplication>(module, {
      logger: ['error'],
    });
    configureApp(app);
    await app.listen(port, '127.0.0.1');
    return new DemoApp(app, (await app.getUrl()).replace('[::1]', '127.0.0.1'));
  }

  get store(): PushpageStore {
    return this.app.get<PushpageStore>(PUSHPAGE_STORE);
  }

  async stop(): Promise<void> {
    await this.app.close();
  }
}

/** What a page load gives a non-browser client: the session cookie and the embedded snapshot. */
export interface LoadedPage {
  cookie: string;
  snapshot: PageSnapshot;
}

/** Loads a page over HTTP as a browser would, keeping (or receiving) the session cookie. */
export async function loadPage(
  baseUrl: string,
  path: string,
  cookie?: string,
): Promise<LoadedPage> {
  const { snapshot, setCookie } = await fetchPage(baseUrl, path, cookie);
  return { cookie: cookie ?? setCookie ?? '', snapshot };
}

/** A page load as a browser sees it: the cookie it holds after, and whether that is new. */
export interface BrowserLoad extends LoadedPage {
  /** whether the server set a session cookie (a new session) */
  newSession: boolean;
}

/**
 * Loads a page as a browser does with `cookie` as its `Cookie` header: a session cookie the
 * server sets replaces the one sent.
 */
export async function browserLoad(
  baseUrl: string,
  path: string,
  cookie?: string,
): Promise<BrowserLoad> {
  const { snapshot, setCookie } = await fetchPage(baseUrl, path, cookie);
  return { snapshot, cookie: setCookie ?? cookie ?? '', newSession: setCookie !== undefined };
}

async function fetchPage(
  baseUrl: string,
  path: string,
  cookie: string | undefined,
): Promise<{ snapshot: PageSnapshot; setCookie?: string }> {
  const res = await fetch(baseUrl + path, { headers: cookie ? { cookie } : {} });
  if (res.status !== 200) throw new Error(`GET ${path}: ${res.status}`);
  const html = await res.text();
  const match = /<script type="application\/json" id="pushpage-state">(.*?)<\/script>/s.exec(html);
  if (!match) throw new Error(`GET ${path}: no page state in the HTML`);
  const setCookie = res.headers.get('set-cookie');
  return {
    snapshot: (JSON.parse(match[1]) as { snapshot: PageSnapshot }).snapshot,
    ...(setCookie ? { setCookie: setCookie.split(';')[0] } : {}),
  };
}

/** The id of the first component on a page that listens to clicks. */
export function clickableId(page: LoadedPage): string {
  const node = page.snapshot.nodes.find((n) => n.e?.includes('click'));
  if (!node) throw new Error('nothing clickable on the page');
  return node.i;
}

/** A Socket.IO client as the browser runtime connects it (websocket, session cookie). */
export function connectTab(baseUrl: string, cookie: string, namespace = '/'): Socket {
  return io(baseUrl + namespace, {
    path: '/pushpage/socket.io',
    transports: ['websocket'],
    forceNew: true,
    reconnection: false,
    extraHeaders: { cookie },
  });
}

/** Emits with an acknowledgement and a timeout. */
export function request<T>(
  socket: Socket,
  event: string,
  body: unknown,
  timeoutMs = 5000,
): Promise<T> {
  return socket.timeout(timeoutMs).emitWithAck(event, body) as Promise<T>;
}

/** A component as the REST API shows it, in a page view `{ pageId, version, tree }`. */
export interface ViewNode {
  id: string;
  tag: string;
  props: Record<string, unknown>;
  events?: string[];
  valueEvent?: string;
  children?: ViewNode[];
  /** how many children after `children` the view left out */
  more?: number;
}

/** A message board page opened over the REST API, and how to post to its board. */
export interface RestBoard {
  /** The page as opening it answered. */
  view: { pageId: string; tree: ViewNode };
  cookie: string;
  /**
   * Posts a message as the page's Send button does: the status, and the page after it (or
   * the error).
   */
  post(text: string): Promise<{ status: number; body: { tree?: ViewNode; code?: string } }>;
}

/** Opens a `/message-board` page over the REST API (a session of its own). */
export async function boardOverRest(baseUrl: string): Promise<RestBoard> {
  const opened = await fetch(`${baseUrl}/api/pages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ route: '/message-board' }),
  });
  if (opened.status !== 201) throw new Error(`POST /api/pages: ${opened.status}`);
  const cookie = (opened.headers.get('set-cookie') ?? '').split(';')[0];
  const view = (await opened.json()) as RestBoard['view'];
  const nodes = viewNodes(view.tree);
  const box = nodes.find((n) => n.tag === 'textarea')?.id;
  const send = nodes.find((n) => n.tag === 'button')?.id;
  const post: RestBoard['post'] = async (text) => {
    const res = await fetch(`${baseUrl}/api/pages/${view.pageId}/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie },
      body: JSON.stringify({
        componentId: send,
        type: 'click',
        values: [{ id: box, value: text }],
      }),
    });
    return { status: res.status, body: (await res.json()) as { tree?: ViewNode; code?: string } };
  };
  return { view, cookie, post };
}

/** Every node of a page view's tree, parents before their children. */
export function viewNodes(node: ViewNode): ViewNode[] {
  return [node, ...(node.children ?? []).flatMap(viewNodes)];
}

/** The `id` attribute of a node of a page view. */
export function viewId(node: ViewNode): string | undefined {
  return (node.props.attrs as Record<string, string> | undefined)?.id;
}
