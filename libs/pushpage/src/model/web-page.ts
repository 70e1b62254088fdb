import { newPageId } from '../ids';
import { Component, ComponentData, ComponentOptions } from './component';

/** Options of {@link WebPage}. */
export interface WebPageOptions<
  D extends ComponentData = ComponentData,
  S = WebPage<D>,
> extends ComponentOptions<D, S> {
  /** The document title. */
  title?: string;
  /**
   * `false`: the page opens no websocket; events are posted over HTTP and the response
   * updates the page. Default: the app-wide setting (normally `true`).
   */
  websockets?: boolean;
  /** Seconds between in-place refreshes of the page content (Ajax polling); 0 for none. */
  reloadInterval?: number;
}

/**
 * A page: the root of a component tree that browser tabs render. Every tab that shows the
 * page receives its updates. A page made with `deleteFlag: false` (or by `defineShared`)
 * is one page for every request; otherwise each request gets its own.
 */
export class WebPage<D extends ComponentData = ComponentData> extends Component<D> {
  static override readonly typeName: string = 'WebPage';
  static override readonly tag: string = 'div';

  constructor(options: WebPageOptions<D> = {}) {
    super(options);
    this._s.id = newPageId();
    this._s.scope = true;
    if (options.title !== undefined) this.title = options.title;
    if (options.websockets !== undefined) this.setProp('websockets', options.websockets);
    if (options.reloadInterval !== undefined) this.reloadInterval = options.reloadInterval;
  }

  /** The document title. */
  get title(): string {
    return (this.getProp('title') as string | undefined) ?? '';
  }
  set title(value: string) {
    this.setProp('title', value);
  }

  /** Seconds between in-place refreshes; 0 for none. */
  get reloadInterval(): number {
    return (this.getProp('reloadInterval') as number | undefined) ?? 0;
  }
  set reloadInterval(seconds: number) {
    if (!(seconds >= 0)) throw new RangeError('reloadInterval must be a number of seconds ≥ 0');
    this.setProp('reloadInterval', seconds || undefined);
  }

  /** Whether the page uses a websocket (`undefined`: the app-wide default). */
  get websockets(): boolean | undefined {
    return this.getProp('websockets') as boolean | undefined;
  }
}
