import { Injectable } from '@nestjs/common';
import { A, Div, H1, PageRenderer, PageRequest, PageRoute, WebPage } from 'pushpage';

const ROUTE = '/greet/:name';

/** `/greet/:name`: a route parameter, shown as text (never parsed as HTML). */
@Injectable()
@PageRoute(ROUTE, { title: 'Greeting' })
export class GreetPage implements PageRenderer<typeof ROUTE> {
  render(req: PageRequest<typeof ROUTE>): WebPage {
    const wp = new WebPage({ title: `Hello, ${req.params.name}!` });
    const main = new Div({ classes: 'max-w-2xl mx-auto p-8', parent: wp });
    new H1({
      text: `Hello, ${req.params.name}!`,
      classes: 'text-4xl font-bold text-gray-800 mb-4',
      attrs: { id: 'greeting' },
      parent: main,
    });
    new A({ href: '/greet/Ada', text: 'Greet Ada', classes: 'text-blue-700 mr-4', parent: main });
    new A({ href: '/', text: 'All demos', classes: 'text-blue-700', parent: main });
    return wp;
  }
}
