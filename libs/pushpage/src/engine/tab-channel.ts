import { ClientAction, ClientAnswer, ClientQuestion } from '../protocol';

/**
 * Reaches browser tabs outside of patches: client actions for every tab of a page (on every
 * replica, through the page's room, as patches go) or for one tab, and questions one tab
 * answers. The socket edge implements it.
 */
export interface TabChannel {
  /** Sends actions to every tab of a page, on every replica. */
  toPage(pageId: string, actions: ClientAction[]): void;
  /** Sends actions to one tab (its socket id). */
  toTab(tabId: string, actions: ClientAction[]): void;
  /** Asks one tab; rejects if it does not answer within `timeoutMs`. */
  ask(tabId: string, question: ClientQuestion, timeoutMs: number): Promise<ClientAnswer>;
  /**
   * Whether a socket, on any replica, is a tab of this session showing this page: a socket id
   * a request names is checked with it before actions go to that socket.
   */
  showsPage(socketId: string, pageId: string, sessionId: string): Promise<boolean>;
}

/** Injection token of the tab channel. */
export const PUSHPAGE_TAB_CHANNEL = Symbol('PUSHPAGE_TAB_CHANNEL');
