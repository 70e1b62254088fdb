import { Injectable } from '@nestjs/common';
import {
  Button,
  defineShared,
  Div,
  H1,
  handler,
  P,
  PageRenderer,
  PageRequest,
  PageRoute,
  Timer,
  WebPage,
} from 'pushpage';

/** How often the ticker's timer ticks, in ms. */
export const TICKER_EVERY_MS = 1000;

type Count = P<{ ticks: number }>;
type TickTimer = Timer<{ count: Count }>;
type PauseButton = Button<{ timer: TickTimer }>;

/**
 * `/ticker`: one page for everybody with a page timer (NiceGUI's `ui.timer`). Its count goes
 * up once a second for the whole cluster while anyone has the page open, on whichever replica
 * their tab is, and stops when the last tab has gone. The button pauses and resumes it.
 */
@Injectable()
@PageRoute('/ticker', { title: 'Page timer' })
export class TickerPage implements PageRenderer {
  private readonly page = defineShared('demo:ticker', () => {
    const wp = new WebPage({ title: 'Page timer', classes: 'min-h-screen bg-gray-50' });
    const main = new Div({ classes: 'max-w-xl mx-auto p-8 text-center', parent: wp });
    new H1({ text: 'Page timer', classes: 'text-4xl font-bold text-gray-800 mb-4', parent: main });
    new P({
      text: 'This page has a timer: it ticks once a second for every tab on every replica, only while someone has the page open.',
      classes: 'text-gray-600',
      parent: main,
    });
    const count = new P<{ ticks: number }>({
      text: 'No tick yet',
      classes: 'text-5xl font-bold text-gray-800 my-6',
      attrs: { id: 'ticks' },
      data: { ticks: 0 },
      parent: main,
    });
    const timer = new Timer<{ count: Count }>({
      every: TICKER_EVERY_MS,
      tick: this.ticked,
      data: { count },
      parent: main,
    });
    new Button<{ timer: TickTimer }>({
      text: 'Pause',
      classes: 'px-4 py-2 rounded bg-blue-600 text-white',
      attrs: { id: 'pause' },
      click: this.pauseOrResume,
      data: { timer },
      parent: main,
    });
    return wp;
  });

  render(req: PageRequest): Promise<WebPage> {
    return req.shared(this.page);
  }

  readonly ticked = handler((self: TickTimer) => {
    const count = self.data.count;
    count.data.ticks += 1;
    count.text = `${count.data.ticks} ${count.data.ticks === 1 ? 'tick' : 'ticks'}`;
  });

  readonly pauseOrResume = handler((self: PauseButton) => {
    const timer = self.data.timer;
    timer.active = !timer.active;
    self.text = timer.active ? 'Pause' : 'Resume';
  });
}
