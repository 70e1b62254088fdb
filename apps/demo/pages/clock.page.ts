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
} from '../../../libs/pushpage/src';

/** `Sat, 21 Nov 2026, 10:15:03`, as JustPy's `%a, %d %b %Y, %H:%M:%S`. */
export function formatClock(date: Date): string {
  const parts = new Intl.DateTimeFormat('en-GB', {
    weekday: 'short',
    day: '2-digit',
    month: 'short',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(date);
  const part = (type: Intl.DateTimeFormatPartTypes) =>
    parts.find((p) => p.type === type)?.value ?? '';
  return `${part('weekday')}, ${part('day')} ${part('month')} ${part('year')}, ${part('hour')}:${part('minute')}:${part('second')}`;
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
