import { EventProperties, EventProperty } from '../event-wire';
import { Component, ComponentData } from '../model/component';
import { WebPage } from '../model/web-page';
import type { UploadedFile } from '../model/upload';
import { FormValue } from '../protocol';
import { ClientTab, PageTabs } from './client-actions';
import { SharedDefinition } from './shared';
import { HandlerStorage, noStorage } from './storage';
import { runTransaction, Transaction } from './transaction';
import { UnitOfWork } from './unit-of-work';

/**
 * What a handler receives as `msg`: the event and the page it happened on.
 *
 * @typeParam P - the data of the page (see {@link Component.data})
 * @typeParam E - the event type: a handler for `keydown` only takes `EventMessage<P, 'keydown'>`
 * @typeParam K - the event properties it reads in {@link EventMessage.event}: a handler taking
 *   `EventMessage<P, 'keydown', 'key' | 'ctrlKey'>` only fits a binding that asks for both
 *   (`on('keydown', h, { props: ['key', 'ctrlKey'] })`)
 */
export class EventMessage<
  P extends ComponentData = ComponentData,
  E extends string = string,
  K extends EventProperty = never,
> {
  constructor(
    /** The DOM event type. */
    readonly type: E,
    /** The id of the component the event happened on. */
    readonly componentId: string,
    /** The page the event happened on, loaded and ready to change. */
    readonly page: WebPage<P>,
    /** The browser session that sent the event. */
    readonly sessionId: string,
    /** The new value, for `input` and `change` events. */
    readonly value: FormValue | undefined,
    /** The key, for `keydown` and `keyup` events. */
    readonly key: string | undefined,
    /** The event properties the binding asked for (`on(type, h, { props })`), and only those. */
    readonly event: EventProperties<K>,
    private readonly uow: UnitOfWork,
    private readonly newUnitOfWork: () => UnitOfWork,
    actions: { client: ClientTab; tabs: PageTabs },
    private readonly readForm: () => Readonly<Record<string, FormValue>> = () => ({}),
    storage?: HandlerStorage,
    files: readonly UploadedFile[] = [],
  ) {
    this.files = files;
    this.client = actions.client;
    this.tabs = actions.tabs;
    this.storage = storage ?? noStorage;
  }

  /**
   * Small JSON values kept in the store: `msg.storage.user` for the browser session (every
   * tab of it, on any replica), `msg.storage.tab` for the tab that sent the event (across its
   * reloads). Typed by the app's `UserStorage` and `TabStorage` declarations:
   *
   * ```ts
   * const theme = (await msg.storage.user.get('theme')) ?? 'light';
   * await msg.storage.tab.set('draft', input.value);
   * ```
   *
   * Reads and writes go to the store at once, outside the page's commits: a handler run
   * again after a conflict writes again (write what it computed, not an increment).
   */
  readonly storage: HandlerStorage;

  /**
   * The files of an `upload` event (an `Upload`'s), stored already: key, name, size and
   * MIME type of each, in the order they came; empty for any other event. Read one with the
   * upload storage's `open(key)`.
   */
  readonly files: readonly UploadedFile[];

  private formRead: Readonly<Record<string, FormValue>> | undefined;

  /**
   * The values of the form the event happened in (or on: a `submit`), by control `name`,
   * as they are after the values this event carried (see `formValues`); `{}` outside a form.
   * Read from the page when first asked for, so a handler that never asks neither walks the
   * form nor reads its page (a read a validated commit would then check).
   */
  get form(): Readonly<Record<string, FormValue>> {
    this.formRead ??= this.readForm();
    return this.formRead;
  }

  /**
   * The tab that sent the event: notify it, navigate it, copy to its clipboard, ask it to
   * confirm or call a function the app's script registered (`await msg.client.call(...)`).
   * Its actions reach it after the handler's first commit (an attempt run again on fresh state
   * sends none); over HTTP they travel in the event's answer.
   */
  readonly client: ClientTab;

  /**
   * Every tab of the page, on every replica (`msg.tabs.notify('Saved')`); refused on a page
   * without websockets. Sent after the handler's first commit, as {@link EventMessage.client}'s.
   */
  readonly tabs: PageTabs;

  /** The id of the page the event happened on. */
  get pageId(): string {
    return this.page.id;
  }

  /** A shared component (see `defineShared`), loaded into this handler's changes. */
  shared<T extends Component>(definition: SharedDefinition<T>): Promise<T> {
    return this.uow.shared(definition);
  }

  /**
   * A read-modify-write that stays correct however long the handler has run: `change` gets
   * components read fresh, and what it changes commits (and is pushed) only if nothing it
   * read changed meanwhile; otherwise it runs again on the new state. A handler's own
   * changes before its first `update()` are validated already (it runs again as a whole);
   * use this after that point, say in a loop that sleeps between updates. It first commits
   * and pushes what the handler changed so far, which ends the part of the handler that may
   * run again, so the transaction is never applied twice:
   *
   * ```ts
   * await msg.transaction(async (tx) => {
   *   const counter = await tx.shared(COUNTER);
   *   counter.data.n = (counter.data.n ?? 0) + 1;
   * });
   * ```
   */
  async transaction<T>(change: (tx: Transaction) => Promise<T> | T): Promise<T> {
    await this.uow.settle();
    return runTransaction(this.newUnitOfWork, change, this.page.id);
  }
}
