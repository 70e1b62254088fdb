import { Injectable } from '@nestjs/common';
import {
  A,
  Button,
  Div,
  EventMessage,
  H1,
  handler,
  PageRenderer,
  PageRequest,
  PageRoute,
  WebPage,
} from 'pushpage';

const ROUTE = '/greet/:name';

/** The names the "Greet …" button goes round; any other name leads to the first. */
export const GREETED_NAMES: readonly string[] = ['Ada', 'Grace', 'Alan', 'Margaret'];

/** The name after `name` in {@link GREETED_NAMES}. */
export function nextName(name: string): string {
  const i = GREETED_NAMES.indexOf(name);
  return GREETED_NAMES[(i + 1) % GREETED_NAMES.length];
}

type GreetButton = Button<{ next: string }>;

/**
 * `/greet/:name`: a route parameter, shown as text (never parsed as HTML), and a button
 * whose handler sends the tab to the next name (`msg.client.navigate`).
 */
@Injectable()
@PageRoute(ROUTE, { title: 'Greeting' })
export class GreetPage implements PageRenderer<typeof ROUTE> {
  readonly greetNext = handler((self: GreetButton, msg: EventMessage) => {
    msg.client.navigate(`/greet/${encodeURIComponent(self.data.next ?? GREETED_NAMES[0])}`);
  });

  render(req: PageRequest<typeof ROUTE>): WebPage {
    const wp = new WebPage({ title: `Hello, ${req.params.name}!` });
    const main = new Div({ classes: 'max-w-2xl mx-auto p-8', parent: wp });
    new H1({
      text: `Hello, ${req.params.name}!`,
      classes: 'text-4xl font-bold text-gray-800 mb-4',
      attrs: { id: 'greeting' },
      parent: main,
    });
    const next = nextName(req.params.name);
    new Button<{ next: string }>({
      text: `Greet ${next}`,
      classes: 'bg-blue-600 hover:bg-blue-700 text-white font-semibold py-2 px-4 rounded mr-4',
      attrs: { id: 'greet-next' },
      data: { next },
      click: this.greetNext,
      parent: main,
    });
    new A({ href: '/greet/Ada', text: 'Greet Ada', classes: 'text-blue-700 mr-4', parent: main });
    new A({ href: '/', text: 'All demos', classes: 'text-blue-700', parent: main });
    return wp;
  }
}
