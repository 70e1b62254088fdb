import { Component } from '../model/component';
import { ClientAction, ClientAnswer, ClientQuestion, HeadTag, JsonValue } from '../protocol';
import {
  checkFunctionName,
  checkJsonArgs,
  checkText,
  ClientActionError,
  downloadAction,
  DownloadSource,
  faviconAction,
  headAction,
  navigateAction,
  notifyAction,
  NotifyOptions,
  targetId,
  urlAction,
} from './client-action-checks';

/**
 * The functions an app's browser script registers (`pushpage.register(name, fn)`), for
 * {@link ClientTab.call} to check names, arguments and results. Declare yours by merging:
 *
 * ```ts
 * declare module 'pushpage' {
 *   interface ClientFunctions {
 *     greet(name: string): string;
 *   }
 * }
 * ```
 *
 * Arguments and results travel as JSON.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- filled by declaration merging
export interface ClientFunctions {}

/** The name of a function in {@link ClientFunctions}. */
export type ClientFunctionName = keyof ClientFunctions & string;

/** The arguments of a function in {@link ClientFunctions}. */
export type ClientFunctionArgs<K extends ClientFunctionName> = ClientFunctions[K] extends (
  ...args: infer A
) => unknown
  ? A
  : never;

/** What a function in {@link ClientFunctions} returns, awaited. */
export type ClientFunctionResult<K extends ClientFunctionName> = ClientFunctions[K] extends (
  ...args: never[]
) => infer R
  ? Awaited<R>
  : never;

/** Why a question to a tab got no answer. */
export type ClientCallFailure = 'timeout' | 'not-registered' | 'failed' | 'unreachable';

/** A tab did not answer a call, confirm or prompt: it timed out, or the function failed. */
export class ClientCallError extends Error {
  override readonly name = 'ClientCallError';

  constructor(
    /** Why there is no answer. */
    readonly code: ClientCallFailure,
    message: string,
  ) {
    super(message);
  }
}

/** How long {@link ClientTab.call} waits for the tab by default. */
export const DEFAULT_CALL_TIMEOUT_MS = 10_000;
/** How long a dialog waits for its user by default: five minutes. */
export const DEFAULT_DIALOG_TIMEOUT_MS = 5 * 60_000;
const LONGEST_WAIT_MS = 60 * 60_000;

/** @internal Where checked actions go (the socket, an HTTP answer, or held until a commit). */
export type ActionSink = (action: ClientAction) => void;

/**
 * Client actions: what browser tabs do besides rendering the page. Every method checks its
 * arguments and throws a {@link ClientActionError} (sending nothing) for a bad one.
 */
export class TabActions {
  /** @internal Pushpage makes these for handlers and tasks. */
  constructor(protected readonly deliver: ActionSink) {}

  /**
   * Shows a notification: a toast over the page, stacked where `position` says (default
   * `bottom`); on Quasar pages it has the look of Quasar's own notifications.
   */
  notify(message: string, options: NotifyOptions = {}): void {
    this.deliver(notifyAction(message, options));
  }

  /** Shows a message in a dialog with an OK button (it does not block the tab). */
  alert(message: string, title?: string): void {
    const action: ClientAction = { do: 'alert', message: checkText('alert: the message', message) };
    if (title !== undefined) action.title = checkText('alert: the title', title);
    this.deliver(action);
  }

  /** Scrolls a component of the page into view. */
  scrollTo(component: Component, options: { smooth?: boolean } = {}): void {
    const id = targetId('scrollTo', component);
    this.deliver(options.smooth ? { do: 'scroll', id, smooth: true } : { do: 'scroll', id });
  }

  /** Moves the keyboard focus to a component (its first focusable element). */
  focus(component: Component): void {
    this.deliver({ do: 'focus', id: targetId('focus', component) });
  }

  /** Downloads a file: from a URL (in the app or http(s)), or its content (1 MiB at most). */
  download(source: DownloadSource): void {
    this.deliver(downloadAction(source));
  }

  /**
   * Sets the document title of the tab, for a while: nothing is stored. The page's own
   * `title` (its `WebPage` prop) comes back when that prop takes another value, on every tab
   * showing the page, and whenever a tab loads the page (a reload, a tab opened later).
   * Changes to the rest of the page, a resync after a reconnect and the answers to the events
   * of a page without websockets leave this title as it is. Actions run after the changes
   * committed before them are shown, so in one handler `setTitle` wins over a new `title` on
   * the tabs it reaches. To retitle the page for good, set its `title`.
   */
  setTitle(title: string): void {
    this.deliver({ do: 'title', title: checkText('setTitle: the title', title, true) });
  }

  /** Sets the tab's icon: a path of the app, an http(s) URL or a base64 `data:image/...` URL. */
  setFavicon(href: string): void {
    this.deliver(faviconAction(href));
  }

  /**
   * Adds a `<meta name|property content>` or a `<link rel="stylesheet">` of the app's own to
   * the head; nothing else (no scripts, no `http-equiv`).
   */
  addHead(tag: HeadTag): void {
    this.deliver(headAction(tag));
  }

  /** Turns dark mode on or off (Quasar's `Dark` on Quasar pages; the `dark` class on `<html>`). */
  setDark(on: boolean): void {
    if (typeof on !== 'boolean') throw new ClientActionError('setDark: on must be true or false');
    this.deliver({ do: 'dark', on });
  }

  /**
   * Loads another page: a path of the app (`/other?x=1`), a query or fragment, or an http(s)
   * URL; any other scheme (`javascript:`, `data:`) is refused. `newTab` opens it beside.
   */
  navigate(url: string, options: { newTab?: boolean } = {}): void {
    this.deliver(navigateAction(url, options.newTab === true));
  }

  /**
   * Changes the tab's address without loading anything (`history.replaceState`, or
   * `pushState` with `push`): a path of the app, a query (`?tab=2`) or a fragment.
   */
  setUrl(url: string, options: { push?: boolean } = {}): void {
    this.deliver(urlAction(url, options.push === true));
  }
}

/**
 * Every tab of a page, on every replica (`msg.tabs`, or `ctx.tabsOf(page)` in a task). Pages
 * without websockets have no tabs to reach: every action is refused there with a
 * {@link ClientActionError} (use `msg.client` for the tab that sent the event).
 */
export class PageTabs extends TabActions {}

/** @internal How a {@link ClientTab} reaches its tab for questions. */
export interface TabQuestions {
  /** Commits what the handler changed so far and sends the actions held until then. */
  settle(): Promise<void>;
  /** Asks the tab; `null` when the event came over HTTP (no socket to answer on). */
  ask: ((question: ClientQuestion, timeoutMs: number) => Promise<ClientAnswer>) | null;
}

/**
 * The tab that sent the event (`msg.client`): the actions of {@link TabActions}, copying to
 * its clipboard, and questions it answers (dialogs, functions the app's script registered).
 * Questions need the tab's socket to answer on: an event posted over HTTP has none, so there
 * `confirm`, `prompt`, `call` and `callWithin` throw a {@link ClientActionError} (see
 * {@link ClientTab.canAnswer}); every other action travels in the event's answer.
 * A question first commits what the handler changed so far, so the handler is not run again
 * after it (see `msg.transaction`).
 */
export class ClientTab extends TabActions {
  /** @internal */
  constructor(
    deliver: ActionSink,
    private readonly questions: TabQuestions,
  ) {
    super(deliver);
  }

  /** Whether this tab can answer questions (it sent the event over its socket). */
  get canAnswer(): boolean {
    return this.questions.ask !== null;
  }

  /** Copies text to the tab's clipboard (the event's click lets the browser allow it). */
  copy(text: string): void {
    this.deliver({ do: 'copy', text: checkText('copy: the text', text, true) });
  }

  /** Asks the user to confirm; `true` for OK. */
  async confirm(
    message: string,
    options: { title?: string; timeoutMs?: number } = {},
  ): Promise<boolean> {
    const question: ClientQuestion = {
      ask: 'confirm',
      message: checkText('confirm: the message', message),
    };
    if (options.title !== undefined)
      question.title = checkText('confirm: the title', options.title);
    const value = await this.question(
      'confirm',
      question,
      options.timeoutMs ?? DEFAULT_DIALOG_TIMEOUT_MS,
    );
    return value === true;
  }

  /** Asks the user for a line of text; `null` if they cancel. */
  async prompt(
    message: string,
    options: { title?: string; value?: string; timeoutMs?: number } = {},
  ): Promise<string | null> {
    const question: ClientQuestion = {
      ask: 'prompt',
      message: checkText('prompt: the message', message),
    };
    if (options.title !== undefined) question.title = checkText('prompt: the title', options.title);
    if (options.value !== undefined)
      question.value = checkText('prompt: the value', options.value, true);
    const value = await this.question(
      'prompt',
      question,
      options.timeoutMs ?? DEFAULT_DIALOG_TIMEOUT_MS,
    );
    return typeof value === 'string' ? value : null;
  }

  /**
   * Calls a function the app's script registered in the tab (`pushpage.register(name, fn)`)
   * and resolves with what it returns (awaited); rejects with a {@link ClientCallError} if the
   * tab does not answer within 10 s, has no such function, or the function throws.
   */
  call<K extends ClientFunctionName>(
    name: K,
    ...args: ClientFunctionArgs<K>
  ): Promise<ClientFunctionResult<K>> {
    return this.callWithin(DEFAULT_CALL_TIMEOUT_MS, name, ...args);
  }

  /** {@link ClientTab.call}, waiting `timeoutMs` for the answer. */
  async callWithin<K extends ClientFunctionName>(
    timeoutMs: number,
    name: K,
    ...args: ClientFunctionArgs<K>
  ): Promise<ClientFunctionResult<K>> {
    const checked = checkFunctionName(name);
    const question: ClientQuestion = {
      ask: 'call',
      name: checked,
      args: checkJsonArgs(checked, args),
    };
    return (await this.question(`call ${checked}`, question, timeoutMs)) as ClientFunctionResult<K>;
  }

  private async question(
    what: string,
    question: ClientQuestion,
    timeoutMs: number,
  ): Promise<JsonValue> {
    if (!Number.isInteger(timeoutMs) || timeoutMs < 1 || timeoutMs > LONGEST_WAIT_MS)
      throw new ClientActionError(
        `${what}: timeoutMs must be a whole number of ms from 1 to ${LONGEST_WAIT_MS}`,
      );
    const ask = this.questions.ask;
    if (!ask)
      throw new ClientActionError(
        `${what} needs the tab's websocket to answer, and this event came over HTTP (a page without websockets, or a REST client)`,
      );
    await this.questions.settle();
    let answer: ClientAnswer;
    try {
      answer = await ask(question, timeoutMs);
    } catch {
      throw new ClientCallError(
        'timeout',
        `${what}: the tab did not answer within ${timeoutMs} ms`,
      );
    }
    if (answer.ok) return answer.value;
    const code: ClientCallFailure =
      answer.error.code === 'not-registered' || answer.error.code === 'unreachable'
        ? answer.error.code
        : 'failed';
    throw new ClientCallError(code, `${what}: ${answer.error.message}`);
  }
}
