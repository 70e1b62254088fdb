import { Injectable } from '@nestjs/common';
import { A, Div, H1, P, PageRenderer, PageRoute, WebPage } from 'pushpage';

const DEMOS: [path: string, title: string, what: string][] = [
  ['/clock', 'Clock', 'one shared page; the server pushes the time every second'],
  ['/message-board', 'Message board', 'a shared message list inside pages of their own'],
  [
    '/countdown?num=10&animation=flip',
    'The final countdown',
    'several updates from one handler, with animations',
  ],
  ['/hello', 'Hello', 'ten elements that count their clicks'],
  ['/counter', 'Shared counter', 'one count for everyone: clicks at the same moment all count'],
  ['/dashboard', 'Dashboard', 'a counter a background task raises every second'],
  [
    '/dashboard-live',
    'Live dashboard',
    'a chart, a table of readings streaming in, and a CSV upload that adds a series',
  ],
  ['/chart', 'Live chart', 'a chart a page timer feeds; tabs get only the new points'],
  ['/ticker', 'Page timer', 'a count a page timer raises once a second while the page is open'],
  ['/editor', 'Collaborative editor', 'one document every tab edits together'],
  ['/quasar', 'Quasar components', 'a form of Quasar controls priced on the server'],
  ['/quasar/shared', 'A pizza order for everyone', 'the Quasar form, one for every tab'],
  ['/actions', 'Client actions', 'notify, copy, download, dark mode, ask the browser, navigate'],
  ['/events', 'Events playground', 'double-clicks, keys, right-clicks and drag and drop'],
  ['/form', 'Sign-up form', 'a field bound to a live preview, and checks on submit'],
  ['/bind', 'Bound to everyone', 'a field and a checkbox bound to a shared page, no handler'],
  ['/greet/Ada', 'Greeting', 'a route with a parameter: /greet/:name reads the name'],
  ['/storage', 'Per-user and per-tab storage', 'a theme kept for the browser, a draft per tab'],
  ['/upload', 'Upload', 'small text files listed for every tab; too big or wrong type refused'],
];

/** `/`: links to every demo. */
@Injectable()
@PageRoute('/', { title: 'Pushpage demos' })
export class IndexPage implements PageRenderer {
  render(): WebPage {
    const wp = new WebPage({ title: 'Pushpage demos', classes: 'min-h-screen bg-gray-50' });
    const main = new Div({ classes: 'max-w-2xl mx-auto p-8', parent: wp });
    new H1({
      text: 'Pushpage demos',
      classes: 'text-4xl font-bold text-gray-800 mb-2',
      parent: main,
    });
    new P({
      text: 'Pages built on the server and pushed to every tab. Open a demo in two tabs to see them share it.',
      classes: 'text-gray-600 mb-6',
      parent: main,
    });
    for (const [path, title, what] of DEMOS) {
      const card = new A({
        href: path,
        classes: 'block mb-3 p-4 bg-white rounded-lg shadow hover:bg-blue-50',
        parent: main,
      });
      new Div({ text: title, classes: 'text-xl text-blue-700 font-semibold', parent: card });
      new Div({ text: what, classes: 'text-sm text-gray-600', parent: card });
    }
    return wp;
  }
}
