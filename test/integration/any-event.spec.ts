/**
 * Any event over REST and the socket: the `/events` playground's handlers get the event
 * properties they asked for; an event nothing listens to is `not-listening` (422), a
 * malformed one `bad-request` (400), and neither changes anything.
 */
import { Socket } from 'socket.io-client';
import {
  connectTab,
  DemoApp,
  loadPage,
  request,
  ViewNode,
  viewId,
  viewNodes,
} from '../support/demo-app';
import type { Ack } from '../../libs/pushpage/src/protocol';

interface View {
  pageId: string;
  version: number;
  tree: ViewNode;
}

describe('any event, in process', () => {
  let app: DemoApp;

  beforeAll(async () => {
    app = await DemoApp.start();
  }, 30_000);
  afterAll(() => app?.stop());

  async function open(route: string): Promise<{ view: View; cookie: string }> {
    const res = await fetch(`${app.url}/api/pages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ route }),
    });
    expect(res.status).toBe(201);
    return {
      view: (await res.json()) as View,
      cookie: (res.headers.get('set-cookie') ?? '').split(';')[0],
    };
  }

  async function post(
    page: { view: View; cookie: string },
    body: Record<string, unknown>,
  ): Promise<{ status: number; body: View & { code?: string; message?: string } }> {
    const res = await fetch(`${app.url}/api/pages/${page.view.pageId}/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: page.cookie },
      body: JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as View & { code?: string } };
  }

  function byId(view: View, id: string): ViewNode {
    const node = viewNodes(view.tree).find((n) => viewId(n) === id);
    if (!node) throw new Error(`no #${id} on the page`);
    return node;
  }

  const textOf = (view: View, id: string) => byId(view, id).props.text;

  describe('the playground', () => {
    it('shows what each event listens to and asks for', async () => {
      const { view } = await open('/events');
      expect(byId(view, 'dblclick-target').events).toEqual(['dblclick']);
      expect(byId(view, 'key-target')).toMatchObject({
        events: ['keydown'],
        eventProps: { keydown: ['key', 'ctrlKey', 'altKey', 'shiftKey', 'metaKey'] },
      });
      expect(byId(view, 'key-target')).not.toHaveProperty('eventThrottles');
      expect(byId(view, 'mouse-target')).toMatchObject({
        events: ['mousemove'],
        eventProps: { mousemove: ['offsetX', 'offsetY'] },
        eventThrottles: { mousemove: 200 },
      });
    });

    it('answers a mousemove with where the mouse is', async () => {
      const page = await open('/events');
      const target = byId(page.view, 'mouse-target');
      const event = { offsetX: 40.6, offsetY: 12 };
      const answer = await post(page, { componentId: target.id, type: 'mousemove', event });
      expect(answer.status).toBe(200);
      expect(textOf(answer.body, 'mouse-tracker-answer')).toMatch(
        /^mouse at 41, 12 \(\d+ events? heard\)$/,
      );
    });

    it('answers a double-click', async () => {
      const page = await open('/events');
      const target = byId(page.view, 'dblclick-target');
      const answer = await post(page, { componentId: target.id, type: 'dblclick' });
      expect(answer.status).toBe(200);
      expect(textOf(answer.body, 'double-click-answer')).toMatch(/^double-clicked/);
    });

    it('gives a key handler the key and modifiers it asked for, and nothing else', async () => {
      const page = await open('/events');
      const target = byId(page.view, 'key-target');
      const event = { key: 'k', ctrlKey: true, clientX: 7, code: 'KeyK' };
      const answer = await post(page, { componentId: target.id, type: 'keydown', event });
      expect(answer.status).toBe(200);
      expect(textOf(answer.body, 'keys-answer')).toBe('ctrl+k pressed');
    });

    it('gives a context-menu handler its coordinates', async () => {
      const page = await open('/events');
      const target = byId(page.view, 'menu-target');
      const event = { offsetX: 12.4, offsetY: 5, clientX: 100, clientY: 200 };
      const answer = await post(page, { componentId: target.id, type: 'contextmenu', event });
      expect(textOf(answer.body, 'context-menu-answer')).toBe(
        'right-click at 12, 5 in the target (100, 200 in the window)',
      );
    });

    it('moves a dragged item into the box it is dropped on', async () => {
      const page = await open('/events');
      const pear = byId(page.view, 'item-pear');
      expect((await post(page, { componentId: pear.id, type: 'dragstart' })).status).toBe(200);
      const box = byId(page.view, 'drop-box');
      const dropped = await post(page, { componentId: box.id, type: 'drop' });
      expect(dropped.status).toBe(200);
      expect(textOf(dropped.body, 'drag-and-drop-answer')).toBe('Pear dropped into the box');
      const boxAfter = byId(dropped.body, 'drop-box');
      expect(boxAfter.children?.map(viewId)).toEqual(['item-pear']);
      expect(byId(dropped.body, 'drop-shelf').children?.map(viewId)).not.toContain('item-pear');
    });
  });

  describe('refusals over REST', () => {
    async function helloPage() {
      const page = await open('/hello');
      const hello = viewNodes(page.view.tree).find((n) => n.events?.includes('click'));
      return { page, helloId: hello?.id as string };
    }

    it('answers 422 not-listening for a well-formed event nothing listens to', async () => {
      const { page, helloId } = await helloPage();
      for (const type of ['dblclick', 'contextmenu', 'row-click', 'update:model-value']) {
        const answer = await post(page, { componentId: helloId, type });
        expect({ type, status: answer.status, code: answer.body.code }).toEqual({
          type,
          status: 422,
          code: 'not-listening',
        });
        expect(answer.body.message).toContain(`does not listen to ${type} events`);
      }
    });

    it.each([
      ['a malformed type', { type: 'Dbl Click' }, /type: "Dbl Click" is not an event name/],
      ['an attribute for a type', { type: 'onclick' }, /without "on"/],
      ['a type too long', { type: 'a'.repeat(65) }, /longer than 64 characters/],
      [
        'an unknown event property',
        { type: 'click', event: { srcElement: 'x' } },
        /event\.srcElement is not an event property/,
      ],
      [
        'an event property of the wrong type',
        { type: 'click', event: { ctrlKey: 'yes' } },
        /event\.ctrlKey must be true or false/,
      ],
    ])('answers 400 bad-request for %s, and changes nothing', async (_what, body, message) => {
      const { page, helloId } = await helloPage();
      const answer = await post(page, { componentId: helloId, ...body });
      expect(answer.status).toBe(400);
      expect(answer.body.code).toBe('bad-request');
      expect(answer.body.message).toMatch(message);
      const read = await fetch(`${app.url}/api/pages/${page.view.pageId}`, {
        headers: { cookie: page.cookie },
      });
      expect(((await read.json()) as View).version).toBe(page.view.version);
    });
  });

  describe('refusals over the socket', () => {
    let tab: Socket | undefined;
    afterEach(() => {
      tab?.disconnect();
    });

    it('acks not-listening for a well-formed event, bad-request for a malformed one', async () => {
      const page = await loadPage(app.url, '/hello');
      const hello = page.snapshot.nodes.find((n) => n.e?.includes('click'));
      tab = connectTab(app.url, page.cookie);
      const { pageId, versions } = page.snapshot;
      expect(await request<Ack>(tab, 'join', { pageId, versions })).toMatchObject({ ok: true });
      const send = (type: string, extra: object = {}) =>
        request<Ack>(tab as Socket, 'event', { pageId, componentId: hello?.i, type, ...extra });
      expect(await send('dblclick')).toMatchObject({
        ok: false,
        error: { code: 'not-listening', message: expect.stringMatching(/dblclick/) as string },
      });
      expect(await send('dbl_click')).toMatchObject({
        ok: false,
        error: { code: 'bad-request' },
      });
      expect(await send('click', { event: { button: 'left' } })).toMatchObject({
        ok: false,
        error: { code: 'bad-request', message: expect.stringMatching(/event\.button/) as string },
      });
      expect(await send('click', { event: { button: 0 } })).toMatchObject({ ok: true });
    });
  });
});
