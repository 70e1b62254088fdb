import { Injectable } from '@nestjs/common';
import {
  Button,
  defineShared,
  Div,
  EventMessage,
  H1,
  handler,
  P,
  PageRenderer,
  PageRequest,
  PageRoute,
  WebPage,
} from 'pushpage';

/** One count for every tab on every replica. */
export const SHARED_COUNTER = defineShared(
  'demo:counter',
  () =>
    new Div<{ clicks: number }>({
      text: 'Clicked 0 times',
      classes: 'text-5xl font-bold text-gray-800 my-6',
      attrs: { id: 'count' },
      data: { clicks: 0 },
    }),
);

/**
 * `/counter`: one counter shared by everyone; each click reads the count and writes it plus
 * one. Clicks at the same moment, from any tab on any replica, all count: a click whose
 * commit meets another's runs again on the new count.
 */
@Injectable()
@PageRoute('/counter', { title: 'Shared counter' })
export class CounterPage implements PageRenderer {
  async render(req: PageRequest): Promise<WebPage> {
    const wp = new WebPage({ title: 'Shared counter', classes: 'min-h-screen bg-gray-50' });
    const main = new Div({ classes: 'max-w-xl mx-auto p-8 text-center', parent: wp });
    new H1({
      text: 'Shared counter',
      classes: 'text-4xl font-bold text-gray-800 mb-4',
      parent: main,
    });
    new P({
      text: 'Everyone shares this counter. Click as fast as you like, in as many tabs as you like: every click counts.',
      classes: 'text-gray-600',
      parent: main,
    });
    const counter = await req.shared(SHARED_COUNTER);
    main.add(counter);
    counter.addPage(wp);
    new Button({
      text: 'Click me',
      classes: 'bg-blue-600 hover:bg-blue-700 text-white text-xl font-bold py-3 px-8 rounded',
      attrs: { id: 'click' },
      click: this.increment,
      parent: main,
    });
    return wp;
  }

  readonly increment = handler(async (_self: Button, msg: EventMessage) => {
    const counter = await msg.shared(SHARED_COUNTER);
    const clicks = (counter.data.clicks ?? 0) + 1;
    counter.data.clicks = clicks;
    counter.text = `Clicked ${clicks} times`;
    await counter.update();
  });
}
