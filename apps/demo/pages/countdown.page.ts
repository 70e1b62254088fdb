import { Injectable } from '@nestjs/common';
import {
  Button,
  Div,
  EventMessage,
  handler,
  Icon,
  PageRenderer,
  PageRequest,
  PageRoute,
  WebPage,
} from 'pushpage';

const BUTTON_CLASSES =
  'm-2 p-2 text-red-700 bg-white hover:bg-red-200 hover:text-red-500 border focus:border-red-500 focus:outline-none';

type CountButton = Button<{ startNum: number; countAnimation: string }>;
type CountPage = { d?: Div };

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** `/countdown?num=N&animation=NAME`: one handler updates its page once a second. */
@Injectable()
@PageRoute('/countdown', { title: 'The Final Countdown' })
export class CountdownPage implements PageRenderer {
  render(req: PageRequest): WebPage {
    const parsed = Number.parseInt(req.query.num ?? '10', 10);
    const startNum = Number.isFinite(parsed) ? Math.min(Math.max(parsed, 0), 100) : 10;
    const animation = /^[A-Za-z]{1,40}$/.test(req.query.animation ?? '')
      ? (req.query.animation as string)
      : 'flip';
    const wp = new WebPage({ title: 'The Final Countdown' });
    new Button({
      text: 'Start Countdown',
      classes: BUTTON_CLASSES,
      click: this.countDown,
      data: { startNum, countAnimation: animation },
      parent: wp,
    }) satisfies CountButton;
    return wp;
  }

  readonly countDown = handler(async (self: CountButton, msg: EventMessage<CountPage>) => {
    const page = msg.page;
    self.show = false;
    if (page.data.d) page.remove(page.data.d);
    const bomb = new Icon({
      icon: 'bomb',
      classes: 'inline-block text-5xl ml-1 mt-1',
      parent: page,
    });
    const d = new Div({
      classes: 'text-center m-4 p-4 text-6xl text-red-600 bg-blue-500 faster',
      animation: self.data.countAnimation,
      parent: page,
    });
    page.data.d = d;
    for (let i = self.data.startNum; i > 0; i--) {
      d.text = String(i);
      await page.update();
      await sleep(1000);
    }
    d.text = 'Boom!';
    d.animation = 'zoomIn';
    d.setClasses('text-red-500 bg-white');
    bomb.setClass('text-red-700');
    self.show = true;
  });
}
