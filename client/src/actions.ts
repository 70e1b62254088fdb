import { ClientFunctions } from './client-functions';
import {
  faviconProblem,
  inAppUrlProblem,
  metaNameProblem,
  navigationUrlProblem,
  stylesheetProblem,
} from '../../libs/pushpage/src/safe-urls';
import { ClientAction, ClientAnswer, ClientQuestion, HeadTag, JsonValue } from './types';

/** A notification as the tab shows it. */
export type Notification = Extract<ClientAction, { do: 'notify' }>;

/** What the tab does for client actions: the browser's, or a fake in tests. */
export interface TabPort {
  notify(notification: Notification): void;
  alert(message: string, title?: string): void;
  confirm(message: string, title?: string): Promise<boolean>;
  prompt(message: string, title?: string, value?: string): Promise<string | null>;
  /** Scrolls the element with this `id` into view; `false` if there is none. */
  scrollTo(id: string, smooth: boolean): boolean;
  /** Focuses the element with this `id` (or the first focusable one inside); `false` if none. */
  focus(id: string): boolean;
  copy(text: string): Promise<void>;
  /** Downloads a URL, or bytes (base64) as a file. */
  download(
    file: { url: string; filename?: string } | { data: string; filename: string; mime: string },
  ): void;
  setTitle(title: string): void;
  setFavicon(href: string): void;
  addHead(tag: HeadTag): void;
  setDark(on: boolean): void;
  navigate(url: string, newTab: boolean): void;
  setUrl(url: string, push: boolean): void;
}

function refused(what: string, problem: string | null): boolean {
  if (problem) console.warn(`pushpage: ${what} refused: ${problem}`);
  return problem !== null;
}

function headProblem(tag: HeadTag): string | null {
  if (tag.tag === 'link')
    return tag.rel === 'stylesheet' ? stylesheetProblem(tag.href) : 'not a style sheet';
  if (tag.tag !== 'meta') return 'only <meta> and style sheets may be added';
  return 'name' in tag ? metaNameProblem(tag.name) : metaNameProblem(tag.property);
}

/**
 * Runs the client actions the server sends (`actions`) and answers its questions (`ask`).
 * URLs and head tags are checked again here: the tab does not rely on the server alone to
 * keep `javascript:` and scripts out.
 */
export class ActionRunner {
  constructor(
    private readonly port: TabPort,
    private readonly functions: ClientFunctions,
    private readonly error: (text: string) => void,
    /** The `id` of a component's element (its `attrs` may give it one of its own). */
    private readonly elementId: (componentId: string) => string = (id) => id,
  ) {}

  /** Runs actions in order; one that fails is reported and the others still run. */
  run(actions: readonly ClientAction[]): void {
    if (!Array.isArray(actions)) return;
    for (const action of actions) {
      try {
        this.runOne(action);
      } catch (error) {
        console.warn('pushpage: a client action failed', action, error);
      }
    }
  }

  private runOne(action: ClientAction): void {
    const port = this.port;
    switch (action.do) {
      case 'notify':
        return port.notify(action);
      case 'alert':
        return port.alert(action.message, action.title);
      case 'scroll':
        port.scrollTo(this.elementId(action.id), action.smooth === true);
        return;
      case 'focus':
        port.focus(this.elementId(action.id));
        return;
      case 'copy':
        port.copy(action.text).catch(() => this.error('Copying to the clipboard was not allowed.'));
        return;
      case 'download':
        if ('url' in action && refused('download', navigationUrlProblem(action.url))) return;
        return port.download(action);
      case 'title':
        return port.setTitle(action.title);
      case 'favicon':
        if (refused('favicon', faviconProblem(action.href))) return;
        return port.setFavicon(action.href);
      case 'head':
        if (refused('head tag', headProblem(action.add))) return;
        return port.addHead(action.add);
      case 'dark':
        return port.setDark(action.on === true);
      case 'navigate':
        if (refused('navigation', navigationUrlProblem(action.url))) return;
        return port.navigate(action.url, action.newTab === true);
      case 'url':
        if (refused('address change', inAppUrlProblem(action.url))) return;
        return port.setUrl(action.url, action.push === true);
    }
  }

  /** Answers a question of the server: a dialog, or a registered function's value. */
  async answer(question: ClientQuestion): Promise<ClientAnswer> {
    try {
      switch (question.ask) {
        case 'confirm':
          return ok(await this.port.confirm(question.message, question.title));
        case 'prompt':
          return ok(await this.port.prompt(question.message, question.title, question.value));
        case 'call':
          return await this.call(question.name, question.args);
        default:
          return fail('bad-request', 'the tab does not know this question');
      }
    } catch (error) {
      return fail('failed', error instanceof Error ? error.message : String(error));
    }
  }

  private async call(name: string, args: JsonValue[]): Promise<ClientAnswer> {
    const fn = this.functions.get(name);
    if (!fn) return fail('not-registered', `no client function ${name} is registered in the tab`);
    const value: unknown = await fn(...(Array.isArray(args) ? args : []));
    // what JSON makes of it, as the socket would (undefined becomes null)
    return ok(value === undefined ? null : (JSON.parse(JSON.stringify(value)) as JsonValue));
  }
}

function ok(value: JsonValue): ClientAnswer {
  return { ok: true, value };
}

function fail(code: string, message: string): ClientAnswer {
  return { ok: false, error: { code, message } };
}
