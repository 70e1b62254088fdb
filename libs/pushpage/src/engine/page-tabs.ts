import { WebPage } from '../model/web-page';
import { ClientAction } from '../protocol';
import { ActionOutbox } from './action-outbox';
import { ClientActionError } from './client-action-checks';
import { ClientTab, PageTabs } from './client-actions';
import { TabChannel } from './tab-channel';

/** Whether a page's tabs hold sockets: its own setting, else the app's. */
function usesSockets(page: WebPage, appDefault: boolean): boolean {
  return page.websockets ?? appDefault;
}

function noSockets(page: WebPage): ClientActionError {
  return new ClientActionError(
    `page ${page.id} opens no websocket, so its tabs cannot be reached from the server; ` +
      'use msg.client for the tab that sent the event',
  );
}

/** The tabs of a page, for a task: actions go out at once. */
export function tabsOfPage(
  page: WebPage,
  appWebsockets: boolean,
  channel: TabChannel | undefined,
): PageTabs {
  return new PageTabs((action) => {
    if (!usesSockets(page, appWebsockets)) throw noSockets(page);
    channel?.toPage(page.id, [action]);
  });
}

/** Who sent an event, as its client actions need to know. */
export interface EventSender {
  /** The sender's socket; absent for an event posted over HTTP. */
  socketId?: string;
  /** The event is a page timer's tick: no tab sent it. */
  timer?: boolean;
}

/** The client actions of one run of a handler. */
export interface EventTabs {
  /** The tab that sent the event. */
  client: ClientTab;
  /** Every tab of the page. */
  tabs: PageTabs;
  /** The actions for an HTTP event's answer, in order (empty for socket events). */
  answer: ClientAction[];
}

/**
 * The client actions of one run of a handler: held in `outbox` until its first commit.
 * For a socket event, the sender's actions go to its socket; for an event over HTTP, into
 * the answer, as do the page's (which also reach the page's socket tabs, if it has any).
 */
export function eventTabs(options: {
  page: WebPage;
  sender: EventSender;
  appWebsockets: boolean;
  channel: TabChannel | undefined;
  outbox: ActionOutbox;
  settle: () => Promise<void>;
}): EventTabs {
  const { page, sender, channel, outbox } = options;
  const answer: ClientAction[] = [];
  const socketId = sender.socketId;
  const toSender = (action: ClientAction) => {
    if (sender.timer) {
      throw new ClientActionError(
        `a timer's tick comes from no tab, so msg.client has none to ${action.do}: ` +
          'use msg.tabs for every tab of the page',
      );
    }
    outbox.post(() => (socketId ? channel?.toTab(socketId, [action]) : answer.push(action)));
  };
  const client = new ClientTab(toSender, {
    settle: options.settle,
    ask:
      socketId && channel
        ? (question, timeoutMs) => channel.ask(socketId, question, timeoutMs)
        : null,
  });
  const tabs = new PageTabs((action) => {
    if (!usesSockets(page, options.appWebsockets)) throw noSockets(page);
    outbox.post(() => {
      channel?.toPage(page.id, [action]);
      if (!socketId) answer.push(action);
    });
  });
  return { client, tabs, answer };
}
