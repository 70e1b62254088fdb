import 'reflect-metadata';
import { Injectable, Logger, Module } from '@nestjs/common';
import { Socket } from 'socket.io-client';
import {
  Button,
  EventMessage,
  handler,
  PageRenderer,
  PageRoute,
  PushpageModule,
  WebPage,
} from '../../libs/pushpage/src';
import { ClientAction, ClientQuestion } from '../../libs/pushpage/src/protocol';
import { createTestingApp, TestingApp } from '../../libs/pushpage/src/testing';
import { connectTab, loadPage, request } from '../support/demo-app';
import { waitFor } from '../support/ports';

declare module 'pushpage' {
  interface ClientFunctions {
    double(n: number): number;
  }
}

@Injectable()
class ActionHandlers {
  readonly go = handler((_self: Button, msg: EventMessage) => {
    msg.client.notify('Saved', { type: 'positive' });
    msg.client.navigate('/elsewhere?from=rest');
  });

  readonly quiet = handler((_self: Button, msg: EventMessage): boolean => {
    msg.client.setUrl('?tab=2');
    return true;
  });

  readonly scheme = handler((_self: Button, msg: EventMessage) => {
    msg.client.notify('never sent');
    msg.client.navigate('javascript:alert(1)');
  });

  readonly ask = handler(async (self: Button, msg: EventMessage) => {
    self.text = `doubled: ${await msg.client.call('double', 21)}`;
  });

  readonly everyTab = handler((_self: Button, msg: EventMessage) => {
    msg.tabs.notify('to every tab');
  });

  readonly confirm = handler(async (self: Button, msg: EventMessage) => {
    self.text = `confirmed: ${await msg.client.confirm('Sure?')}`;
  });
}

function buttons(h: ActionHandlers, wp: WebPage): void {
  for (const name of ['go', 'quiet', 'scheme', 'ask', 'everyTab', 'confirm'] as const)
    new Button({ text: name, attrs: { name }, click: h[name], parent: wp });
}

@Injectable()
@PageRoute('/rest-actions')
class RestActionsPage implements PageRenderer {
  constructor(private readonly h: ActionHandlers) {}
  render(): WebPage {
    const wp = new WebPage({ websockets: false });
    buttons(this.h, wp);
    return wp;
  }
}

@Injectable()
@PageRoute('/socket-actions')
class SocketActionsPage implements PageRenderer {
  constructor(private readonly h: ActionHandlers) {}
  render(): WebPage {
    const wp = new WebPage();
    buttons(this.h, wp);
    return wp;
  }
}

@Module({
  imports: [PushpageModule.forRoot({ sessionSecret: 'test-secret-0123456789' })],
  providers: [ActionHandlers, RestActionsPage, SocketActionsPage],
})
class TestModule {}

interface ViewNode {
  id: string;
  props: Record<string, unknown>;
  children?: ViewNode[];
}

describe('client actions', () => {
  let testing: TestingApp;
  let url: string;
  const errors: string[] = [];
  const sockets: Socket[] = [];

  beforeAll(async () => {
    // handler failures are logged as errors: the test reads why they failed
    jest.spyOn(Logger.prototype, 'error').mockImplementation((message: unknown) => {
      errors.push(typeof message === 'object' ? JSON.stringify(message) : String(message));
    });
    testing = await createTestingApp(TestModule, { logger: ['error'] });
    url = testing.url.replace('[::1]', '127.0.0.1');
  });
  afterAll(async () => {
    for (const socket of sockets) socket.disconnect();
    await testing.close();
  });

  async function openOverRest(route: string) {
    const res = await fetch(`${url}/api/pages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ route }),
    });
    const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0];
    const view = (await res.json()) as { pageId: string; tree: ViewNode };
    const id = (name: string) =>
      (view.tree.children ?? []).find(
        (c) => (c.props.attrs as Record<string, string>).name === name,
      )?.id;
    const click = (name: string) =>
      fetch(`${url}/api/pages/${view.pageId}/events`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', cookie },
        body: JSON.stringify({ componentId: id(name), type: 'click' }),
      });
    return { click };
  }

  it('answers an event over HTTP with the actions for its sender and where it navigates', async () => {
    const page = await openOverRest('/rest-actions');
    const res = await page.click('go');
    expect(res.status).toBe(200);
    const body = (await res.json()) as { tree: unknown; actions: ClientAction[]; navigate: string };
    expect(body.tree).toBeDefined();
    expect(body.actions).toEqual([
      { do: 'notify', message: 'Saved', type: 'positive' },
      { do: 'navigate', url: '/elsewhere?from=rest' },
    ]);
    expect(body.navigate).toBe('/elsewhere?from=rest');
  });

  it('answers 200 with the actions even when the handler skipped the update', async () => {
    const page = await openOverRest('/rest-actions');
    const res = await page.click('quiet');
    expect(res.status).toBe(200);
    expect(((await res.json()) as { actions: ClientAction[] }).actions).toEqual([
      { do: 'url', url: '?tab=2' },
    ]);
  });

  it('refuses a javascript: URL with a clear error and sends nothing', async () => {
    const page = await openOverRest('/rest-actions');
    errors.length = 0;
    const res = await page.click('scheme');
    expect(res.status).toBe(500);
    const body = (await res.json()) as { code: string; actions?: unknown };
    expect(body.code).toBe('handler-failed');
    expect(body.actions).toBeUndefined();
    expect(errors.join('\n')).toMatch(/the javascript: scheme is not allowed/);
  });

  it('refuses what needs a socket over HTTP: asking the tab, and every tab of a websocket-free page', async () => {
    const page = await openOverRest('/rest-actions');
    errors.length = 0;
    expect((await page.click('ask')).status).toBe(500);
    expect((await page.click('confirm')).status).toBe(500);
    expect((await page.click('everyTab')).status).toBe(500);
    expect(errors.join('\n')).toMatch(/call double needs the tab's websocket/);
    expect(errors.join('\n')).toMatch(/confirm needs the tab's websocket/);
    expect(errors.join('\n')).toMatch(/opens no websocket, so its tabs cannot be reached/);
  });

  it('sends a socket tab its actions and every tab of the page theirs, and awaits what a tab answers', async () => {
    const page = await loadPage(url, '/socket-actions');
    const tabs = [connectTab(url, page.cookie), connectTab(url, page.cookie)];
    sockets.push(...tabs);
    const received: ClientAction[][] = [[], []];
    tabs.forEach((socket, i) => {
      socket.on('actions', (actions: ClientAction[]) => received[i].push(...actions));
      socket.on('ask', (q: ClientQuestion, reply: (answer: unknown) => void) =>
        reply(q.ask === 'call' ? { ok: true, value: Number(q.args[0]) * 2 } : { ok: false }),
      );
    });
    const { pageId, versions, nodes } = page.snapshot;
    await Promise.all(tabs.map((socket) => request(socket, 'join', { pageId, versions })));
    // the buttons' text is their handler's name
    const click = (name: string) =>
      request<{ ok: boolean }>(tabs[0], 'event', {
        pageId,
        componentId: nodes.find((node) => node.p.text === name)?.i,
        type: 'click',
      });

    expect(await click('everyTab')).toMatchObject({ ok: true });
    await waitFor('the other tab gets the action', () => received[1].length === 1, 2000);
    expect(received[1]).toEqual([{ do: 'notify', message: 'to every tab' }]);

    expect(await click('go')).toMatchObject({ ok: true });
    await waitFor('the sender gets its actions', () => received[0].length === 3, 2000);
    expect(received[0].slice(1).map((a) => a.do)).toEqual(['notify', 'navigate']);
    expect(received[1]).toHaveLength(1);

    const patches: unknown[] = [];
    tabs[1].on('patch', (p: unknown) => patches.push(p));
    expect(await click('ask')).toMatchObject({ ok: true });
    await waitFor(
      'the answer on the page',
      () => JSON.stringify(patches).includes('doubled: 42'),
      2000,
    );
  });
});
