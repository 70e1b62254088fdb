import { Component, ComponentData, EventType } from '../components/component';
import { WebPage } from '../components/web-page';
import { FormValue } from '../protocol';
import { SharedDefinition } from '../runtime/shared';
import { UnitOfWork } from '../runtime/unit-of-work';

/** What a handler receives as `msg`: the event and the page it happened on. */
export class EventMessage<P extends ComponentData = ComponentData> {
  constructor(
    /** The DOM event type. */
    readonly type: EventType,
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
    private readonly uow: UnitOfWork,
  ) {}

  /** The id of the page the event happened on. */
  get pageId(): string {
    return this.page.id;
  }

  /** A shared component (see `defineShared`), loaded into this handler's changes. */
  shared<T extends Component>(definition: SharedDefinition<T>): Promise<T> {
    return this.uow.shared(definition);
  }
}
