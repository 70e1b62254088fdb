import 'reflect-metadata';
import { INestApplication, Injectable, Logger, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { context, SpanStatusCode, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import {
  InMemorySpanExporter,
  ReadableSpan,
  SimpleSpanProcessor,
  TracerProvider,
} from '@opentelemetry/sdk-trace';
import { Socket } from 'socket.io-client';
import {
  Button,
  Div,
  EventMessage,
  handler,
  PageRenderer,
  PageRoute,
  PageSnapshot,
  PushpageModule,
  WebPage,
} from '../../libs/pushpage/src';
import { connectTab, loadPage, request, viewNodes, ViewNode } from '../support/demo-app';
import { waitFor } from '../support/ports';
import { RedisServer } from '../support/redis-server';

type Ack = { ok: true; updated: boolean } | { ok: false; error: { code: string } };

@Injectable()
@PageRoute('/traced')
class TracedPage implements PageRenderer {
  render(): WebPage {
    const wp = new WebPage();
    new Button({ text: '0', click: this.count, attrs: { name: 'count' }, parent: wp });
    new Button({ text: 'boom', click: this.boom, attrs: { name: 'boom' }, parent: wp });
    new Div({ text: 'no events', attrs: { name: 'inert' }, parent: wp });
    return wp;
  }

  readonly count = handler((self: Button) => {
    self.text = String(Number(self.text) + 1);
  });

  readonly boom = handler((_self: Button, _msg: EventMessage) => {
    throw new Error('kaboom');
  });
}

function tracedModule(redisUrl?: string) {
  @Module({
    imports: [
      PushpageModule.forRoot({
        sessionSecret: 'test-secret-0123456789',
        redisUrl,
        disconnectGraceMs: 300,
      }),
    ],
    providers: [TracedPage],
  })
  class TracedModule {}
  return TracedModule;
}

const exporter = new InMemorySpanExporter();
const provider = new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter })] });

beforeAll(() => {
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  trace.setGlobalTracerProvider(provider);
});
afterAll(async () => {
  await provider.shutdown();
  trace.disable();
  context.disable();
});

const spans = () => exporter.getFinishedSpans();
const parentOf = (span: ReadableSpan) => span.parentSpanContext?.spanId;
const idOf = (span: ReadableSpan) => span.spanContext().spanId;

/** The one `pushpage.event` span of an event on `componentId`, once it has ended. */
async function eventSpan(componentId: string): Promise<ReadableSpan> {
  const find = () =>
    spans().filter(
      (s) => s.name === 'pushpage.event' && s.attributes['pushpage.component.id'] === componentId,
    );
  await waitFor(`the event span of ${componentId}`, () => find().length > 0);
  expect(find()).toHaveLength(1);
  return find()[0];
}

/** The spans whose parent is `parent`, by name. */
function childrenOf(parent: ReadableSpan, name: string): ReadableSpan[] {
  return spans().filter(
    (s) =>
      s.name === name &&
      parentOf(s) === idOf(parent) &&
      s.spanContext().traceId === parent.spanContext().traceId,
  );
}

/** Checks the span tree of an applied click on the `count` button. */
function expectAppliedClick(event: ReadableSpan, pageId: string, transport: string): void {
  expect(event.attributes).toMatchObject({
    'pushpage.page.id': pageId,
    'pushpage.event.type': 'click',
    'pushpage.transport': transport,
    'pushpage.handler': 'TracedPage.count',
  });
  expect(event.status.code).not.toBe(SpanStatusCode.ERROR);
  const handlers = childrenOf(event, 'pushpage.handler');
  expect(handlers).toHaveLength(1);
  expect(handlers[0].attributes).toMatchObject({
    'pushpage.handler': 'TracedPage.count',
    'pushpage.attempt': 1,
  });
  const commits = childrenOf(event, 'pushpage.commit');
  expect(commits.length).toBeGreaterThanOrEqual(1);
  expect(commits.every((c) => c.attributes['pushpage.commit.conflict'] === false)).toBe(true);
  expect(commits[0].attributes['pushpage.commit.ops']).toBeGreaterThan(0);
  const publishes = childrenOf(event, 'pushpage.publish');
  expect(publishes).toHaveLength(1);
  expect(publishes[0].attributes['pushpage.publish.patches']).toBe(1);
  // the handler ran before the commit, which came before the publish
  const start = (s: ReadableSpan) => s.startTime[0] * 1e9 + s.startTime[1];
  expect(start(handlers[0])).toBeLessThanOrEqual(start(commits[0]));
  expect(start(commits[0])).toBeLessThanOrEqual(start(publishes[0]));
}

/** Checks a refused event's span: failed, with the refusal's code and the error recorded. */
function expectRefused(event: ReadableSpan, code: string): void {
  expect(event.status.code).toBe(SpanStatusCode.ERROR);
  expect(event.attributes['pushpage.error.code']).toBe(code);
  expect(event.events.some((e) => e.name === 'exception')).toBe(true);
  expect(childrenOf(event, 'pushpage.publish')).toHaveLength(0);
}

describe.each(['memory', 'redis'])('OpenTelemetry spans of events, %s store', (storeKind) => {
  let app: INestApplication;
  let url: string;
  let redis: RedisServer | undefined;
  const sockets: Socket[] = [];

  beforeAll(async () => {
    if (storeKind === 'redis') redis = await RedisServer.start();
    app = await NestFactory.create(tracedModule(redis?.url), { logger: false });
    // the failing handler's log line
    jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    await app.listen(0, '127.0.0.1');
    url = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  });
  afterAll(async () => {
    for (const s of sockets) s.disconnect();
    await app?.close();
    await redis?.stop();
  });
  beforeEach(() => exporter.reset());

  async function socketTab() {
    const page = await loadPage(url, '/traced');
    const socket = connectTab(url, page.cookie);
    sockets.push(socket);
    await request(socket, 'join', {
      pageId: page.snapshot.pageId,
      versions: page.snapshot.versions,
    });
    const pageId = page.snapshot.pageId;
    const id = (name: string) =>
      (
        page.snapshot.nodes.find(
          (n) => (n.p.attrs as Record<string, string> | undefined)?.name === name,
        ) as PageSnapshot['nodes'][number]
      ).i;
    const click = (name: string) =>
      request<Ack>(socket, 'event', { pageId, componentId: id(name), type: 'click' });
    return { pageId, id, click };
  }

  async function restPage() {
    const opened = await fetch(`${url}/api/pages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ route: '/traced' }),
    });
    expect(opened.status).toBe(201);
    const cookie = (opened.headers.get('set-cookie') ?? '').split(';')[0];
    const view = (await opened.json()) as { pageId: string; tree: ViewNode };
    const id = (name: string) =>
      viewNodes(view.tree).find(
        (n) => (n.props.attrs as Record<string, string> | undefined)?.name === name,
      )?.id as string;
    const click = (name: string) =>
      fetch(`${url}/api/pages/${view.pageId}/events`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', cookie },
        body: JSON.stringify({ componentId: id(name), type: 'click' }),
      });
    return { pageId: view.pageId, id, click };
  }

  it('traces a socket click: the event, its handler, the commit and the publish', async () => {
    const tab = await socketTab();
    expect(await tab.click('count')).toEqual({ ok: true, updated: true });
    expectAppliedClick(await eventSpan(tab.id('count')), tab.pageId, 'socket');
  });

  it('traces a REST click the same way', async () => {
    const page = await restPage();
    expect((await page.click('count')).status).toBe(200);
    expectAppliedClick(await eventSpan(page.id('count')), page.pageId, 'http');
  });

  it('marks an event the element does not listen to as refused', async () => {
    const tab = await socketTab();
    const ack = await tab.click('inert');
    expect(ack).toMatchObject({ ok: false, error: { code: 'not-listening' } });
    const event = await eventSpan(tab.id('inert'));
    expect(event.attributes['pushpage.transport']).toBe('socket');
    expectRefused(event, 'not-listening');
    expect(childrenOf(event, 'pushpage.handler')).toHaveLength(0);

    const page = await restPage();
    expect((await page.click('inert')).status).toBe(422);
    const restEvent = await eventSpan(page.id('inert'));
    expect(restEvent.attributes['pushpage.transport']).toBe('http');
    expectRefused(restEvent, 'not-listening');
  });

  it('marks a handler that throws: its own span with the exception, the event handler-failed', async () => {
    const tab = await socketTab();
    expect(await tab.click('boom')).toMatchObject({
      ok: false,
      error: { code: 'handler-failed' },
    });
    const event = await eventSpan(tab.id('boom'));
    expect(event.attributes['pushpage.handler']).toBe('TracedPage.boom');
    expectRefused(event, 'handler-failed');
    const [run] = childrenOf(event, 'pushpage.handler');
    expect(run.status.code).toBe(SpanStatusCode.ERROR);
    const exception = run.events.find((e) => e.name === 'exception');
    expect(exception?.attributes?.['exception.message']).toBe('kaboom');
  });
});
