import { Injectable } from '@nestjs/common';
import {
  Button,
  ClientActionError,
  defineShared,
  Div,
  EventMessage,
  H1,
  handler,
  Input,
  P,
  PageRenderer,
  PageRequest,
  PageRoute,
  Span,
  WebPage,
} from 'pushpage';

const BUTTON = 'bg-blue-600 hover:bg-blue-700 text-white font-semibold py-2 px-4 rounded m-1';

type ActionsData = {
  answer: Span;
  field: Input;
  bottom: P;
  /** How many times "Rename the page" changed its `title` prop. */
  renames: number;
};

type Click = NonNullable<ConstructorParameters<typeof Button>[0]>['click'];

function button(text: string, id: string, click: Click, parent: Div): Button {
  return new Button({ text, classes: BUTTON, attrs: { id }, click, parent });
}

/**
 * `/actions`: what a handler can make tabs do besides rendering. One page for everyone, so
 * "Notify every tab" reaches every tab of it, on every replica; the other buttons act on the
 * tab that was clicked. `/actions/http` is a page without websockets: its events go over
 * HTTP and their answers carry the actions.
 */
@Injectable()
@PageRoute('/actions', { title: 'Client actions' })
export class ActionsPage implements PageRenderer {
  readonly notifyTab = handler((_self: Button, msg: EventMessage) => {
    msg.client.notify('Saved', {
      type: 'positive',
      caption: 'only this tab sees this',
      position: 'top-right',
    });
  });

  readonly notifyEveryTab = handler((_self: Button, msg: EventMessage) => {
    msg.tabs.notify('Hello, every tab of this page', { type: 'info' });
  });

  readonly copy = handler((_self: Button, msg: EventMessage) => {
    msg.client.copy('Copied by a Pushpage handler');
    msg.client.notify('Copied to the clipboard');
  });

  readonly download = handler((_self: Button, msg: EventMessage) => {
    msg.client.download({
      content: `Made by a handler at ${new Date().toISOString()}\n`,
      filename: 'pushpage.txt',
      mime: 'text/plain',
    });
  });

  readonly dark = handler((_self: Button, msg: EventMessage) => msg.client.setDark(true));
  readonly light = handler((_self: Button, msg: EventMessage) => msg.client.setDark(false));

  readonly title = handler((_self: Button, msg: EventMessage) => {
    msg.client.setTitle(`Title set by a handler at ${new Date().toLocaleTimeString()}`);
  });

  readonly askViewport = handler(async (_self: Button, msg: EventMessage<ActionsData>) => {
    const size = await msg.client.call('viewportSize');
    msg.page.data.answer.text = `The browser says its viewport is ${size}`;
  });

  readonly alert = handler((_self: Button, msg: EventMessage) => {
    msg.client.alert('Only this tab sees this dialog.', 'A message from a handler');
  });

  readonly confirm = handler(async (_self: Button, msg: EventMessage<ActionsData>) => {
    const sure = await msg.client.confirm('Are you sure?', { title: 'A question from a handler' });
    msg.page.data.answer.text = sure ? 'You said yes' : 'You said no';
  });

  readonly prompt = handler(async (_self: Button, msg: EventMessage<ActionsData>) => {
    const name = await msg.client.prompt('What is your name?', {
      title: 'A question from a handler',
      value: 'Ada',
    });
    // shown as text, whatever was typed
    msg.page.data.answer.text = name === null ? 'You did not say' : `Hello, ${name}!`;
  });

  readonly scrollDown = handler((_self: Button, msg: EventMessage<ActionsData>) => {
    msg.client.scrollTo(msg.page.data.bottom);
  });

  readonly focusField = handler((_self: Button, msg: EventMessage<ActionsData>) => {
    msg.client.focus(msg.page.data.field);
  });

  readonly titleEveryTab = handler((_self: Button, msg: EventMessage) => {
    msg.tabs.setTitle('Every tab titled by a handler');
  });

  /** Changes the page's own `title` prop, which every tab shows and a reload keeps. */
  readonly rename = handler((_self: Button, msg: EventMessage<ActionsData>) => {
    const renames = (msg.page.data.renames ?? 0) + 1;
    msg.page.data.renames = renames;
    msg.page.title = `Client actions, renamed ${renames} ${renames === 1 ? 'time' : 'times'}`;
  });

  readonly toClock = handler((_self: Button, msg: EventMessage) => msg.client.navigate('/clock'));

  readonly setUrl = handler((_self: Button, msg: EventMessage) => {
    msg.client.setUrl('/actions?from=handler');
  });

  private readonly page = defineShared('demo:actions', () => {
    const wp = new WebPage<ActionsData>({ title: 'Client actions', classes: 'min-h-screen p-8' });
    new H1({ text: 'Client actions', classes: 'text-4xl font-bold mb-2', parent: wp });
    new P({
      text: 'A handler makes tabs notify, copy, download, change mode, title or address, answer questions, or go elsewhere.',
      classes: 'mb-4',
      parent: wp,
    });
    const row = new Div({ classes: 'flex flex-wrap mb-4', parent: wp });
    button('Notify this tab', 'notify', this.notifyTab, row);
    button('Notify every tab', 'notify-all', this.notifyEveryTab, row);
    button('Copy', 'copy', this.copy, row);
    button('Download', 'download', this.download, row);
    button('Dark', 'dark', this.dark, row);
    button('Light', 'light', this.light, row);
    button('Set the title', 'title', this.title, row);
    button("Set every tab's title", 'title-all', this.titleEveryTab, row);
    button('Rename the page', 'rename', this.rename, row);
    button('Ask the browser', 'ask', this.askViewport, row);
    button('Alert', 'alert', this.alert, row);
    button('Confirm', 'confirm', this.confirm, row);
    button('Prompt', 'prompt', this.prompt, row);
    button('Focus the field', 'focus', this.focusField, row);
    button('Scroll to the bottom', 'scroll', this.scrollDown, row);
    button('Change the address', 'set-url', this.setUrl, row);
    button('Go to the clock', 'navigate', this.toClock, row);
    wp.data.field = new Input({
      attrs: { id: 'field', placeholder: 'Focus lands here', 'aria-label': 'A field to focus' },
      classes: 'border rounded p-2 m-1 block mb-4',
      parent: wp,
    });
    wp.data.answer = new Span({
      text: '',
      attrs: { id: 'answer' },
      classes: 'text-lg',
      parent: wp,
    });
    // far below the fold, for "Scroll to the bottom"
    new Div({ style: 'height: 150vh', parent: wp });
    wp.data.bottom = new P({
      text: 'The bottom of the page',
      attrs: { id: 'bottom' },
      classes: 'text-gray-600',
      parent: wp,
    });
    return wp;
  });

  render(req: PageRequest): Promise<WebPage> {
    return req.shared(this.page);
  }
}

type HttpActionsData = { answer: Span };

/**
 * `/actions/http`: a page of its own without websockets; actions travel in event answers.
 * Questions to the tab (`confirm`, `prompt`, `call`) are refused: nothing could carry the
 * answer back to the handler.
 */
@Injectable()
@PageRoute('/actions/http', { title: 'Client actions over HTTP' })
export class HttpActionsPage implements PageRenderer {
  readonly notify = handler((_self: Button, msg: EventMessage) => {
    msg.client.notify('Sent in the answer to an HTTP event', { type: 'positive' });
  });

  readonly toClock = handler((_self: Button, msg: EventMessage) => msg.client.navigate('/clock'));

  readonly title = handler((_self: Button, msg: EventMessage) => {
    msg.client.setTitle('Titled by the answer to an HTTP event');
  });

  /** A question needs the tab's socket: over HTTP it is refused, and the page says why. */
  readonly confirm = handler(async (_self: Button, msg: EventMessage<HttpActionsData>) => {
    try {
      const sure = await msg.client.confirm('Are you sure?');
      msg.page.data.answer.text = sure ? 'You said yes' : 'You said no';
    } catch (error) {
      if (!(error instanceof ClientActionError)) throw error;
      msg.page.data.answer.text = `Refused: ${error.message}`;
    }
  });

  render(): WebPage {
    const wp = new WebPage<HttpActionsData>({
      title: 'Client actions over HTTP',
      websockets: false,
      classes: 'p-8',
    });
    new H1({ text: 'Client actions over HTTP', classes: 'text-4xl font-bold mb-4', parent: wp });
    const row = new Div({ classes: 'flex flex-wrap', parent: wp });
    button('Notify', 'notify', this.notify, row);
    button('Go to the clock', 'navigate', this.toClock, row);
    button('Set the title', 'title', this.title, row);
    button('Confirm', 'confirm', this.confirm, row);
    wp.data.answer = new Span({ text: '', attrs: { id: 'answer' }, parent: wp });
    return wp;
  }
}
