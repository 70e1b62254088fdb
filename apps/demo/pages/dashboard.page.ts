import { Injectable } from '@nestjs/common';
import {
  defineShared,
  Div,
  OnStartup,
  PageRenderer,
  PageRequest,
  PageRoute,
  TaskContext,
  WebPage,
} from 'pushpage';

const START = 500;

/** The dashboard: one shared page with one counter. */
const DASHBOARD_PAGE = defineShared('demo:dashboard', () => {
  const wp = new WebPage<{ counter: Div<{ value: number }> }>({
    title: 'Dashboard',
    websockets: false,
    reloadInterval: 2.5,
  });
  wp.data.counter = new Div<{ value: number }>({
    text: String(START),
    classes: 'text-center m-4 p-4 text-white bg-blue-500',
    style: 'font-size: 200px',
    data: { value: START },
    parent: wp,
  });
  return wp;
});

/** `/dashboard`: a counter a cluster-once task raises every second, polled every 2.5 s (no websocket). */
@Injectable()
@PageRoute('/dashboard')
export class DashboardPage implements PageRenderer {
  render(req: PageRequest): Promise<WebPage> {
    return req.shared(DASHBOARD_PAGE);
  }

  @OnStartup({ once: 'cluster' })
  async count(ctx: TaskContext): Promise<void> {
    const wp = await ctx.shared(DASHBOARD_PAGE);
    const counter = wp.data.counter;
    while (await ctx.sleep(1000)) {
      counter.data.value = (counter.data.value ?? START) + 1;
      counter.text = String(counter.data.value);
      await wp.update();
    }
  }
}
