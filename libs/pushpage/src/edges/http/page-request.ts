import { Component } from '../../model/component';
import { SharedDefinition } from '../../engine/shared';
import { UnitOfWork } from '../../engine/unit-of-work';

/** The request a page is rendered for. */
export class PageRequest {
  constructor(
    /** The path that was requested. */
    readonly path: string,
    /** Query parameters; repeated keys keep the last value. */
    readonly query: Readonly<Record<string, string>>,
    /** The browser session (a signed, httpOnly cookie). */
    readonly sessionId: string,
    /** Request headers, lower-case names. */
    readonly headers: Readonly<Record<string, string | undefined>>,
    private readonly uow: UnitOfWork,
  ) {}

  /** The shared component (or shared page) of a definition; see `defineShared`. */
  shared<T extends Component>(definition: SharedDefinition<T>): Promise<T> {
    return this.uow.shared(definition);
  }
}
