import { Injectable } from '@nestjs/common';
import {
  defineShared,
  OnStartup,
  PageRenderer,
  PageRequest,
  PageRoute,
  Span,
  TaskContext,
  WebPage,
} from 'pushpage';

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** `Sat, 21 Nov 2026, 10:15:03` in the server's time zone, as JustPy's `%a, %d %b %Y, %H:%M:%S`. */
export function formatClock(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return (
    `${WEEKDAYS[date.getDay()]}, ${pad(date.getDate())} ${MONTHS[date.getMonth()]} ${date.getFullYear()}, ` +
    `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`
  );
}

/** One page for everybody, holding the clock span. */
const CLOCK_PAGE = defineShared('demo:clock', () => {
  const wp = new WebPage<{ clock: Span }>({ title: 'Clock' });
  wp.data.clock = new Span({
    text: 'Loading...',
    classes: 'text-5xl m-1 p-1 bg-gray-300 font-mono',
    parent: wp,
  });
  return wp;
});

/** `/clock`: every tab shows the same page; one replica ticks it every second. */
@Injectable()
@PageRoute('/clock')
export class ClockPage implements PageRenderer {
  render(req: PageRequest): Promise<WebPage> {
    return req.shared(CLOCK_PAGE);
  }

  @OnStartup({ once: 'cluster' })
  async tick(ctx: TaskContext): Promise<void> {
    const wp = await ctx.shared(CLOCK_PAGE);
    const clock = wp.data.clock;
    do {
      clock.text = formatClock(new Date());
      await wp.update();
    } while (await ctx.sleep(1000 - (Date.now() % 1000)));
  }
}
