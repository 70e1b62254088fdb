import { ComponentData, ComponentOptions } from './component';
import { handler } from './handler-ref';
import { Div } from './html';

const HELLO_CLASSES =
  'm-1 p-1 text-2xl text-red-600 hover:bg-red-800 hover:text-yellow-300 cursor-pointer';

/** JustPy's `Hello`: a div that counts its clicks. */
export class Hello<D extends ComponentData = ComponentData> extends Div<D & { clicks: number }> {
  static override readonly typeName: string = 'Hello';

  constructor(options: ComponentOptions<D & { clicks: number }, Hello<D>> = {}) {
    super({ text: 'Hello! (click me)', classes: HELLO_CLASSES, ...options });
    if (!options.click) this.on('click', countClick);
  }
}

/** The built-in click handler of {@link Hello}; it uses no provider, so it is declared once. */
const countClick = handler('pushpage.Hello.click', (self: Hello) => {
  const clicks = (self.data.clicks ?? 0) + 1;
  self.data.clicks = clicks;
  self.text = `Hello! I was clicked ${clicks} times`;
});

/** @internal Provides {@link Hello}'s handler to the handler registry; in the Pushpage module. */
export class HelloHandlers {
  readonly countClick = countClick;
}
