import { Injectable } from '@nestjs/common';
import { ComponentData, ComponentOptions, Div, handler, registerComponentType } from 'pushpage';

const HELLO_CLASSES =
  'm-1 p-1 text-2xl text-red-600 hover:bg-red-800 hover:text-yellow-300 cursor-pointer';

/** JustPy's `Hello`: a div that counts its clicks. An app's own component, as a user writes one. */
export class Hello<D extends ComponentData = ComponentData> extends Div<D & { clicks: number }> {
  static override readonly typeName: string = 'Hello';

  constructor(options: ComponentOptions<D & { clicks: number }, Hello<D>> = {}) {
    super({ text: 'Hello! (click me)', classes: HELLO_CLASSES, ...options });
    if (!options.click) this.on('click', countClick);
  }
}

registerComponentType(Hello);

// The name it had when Hello was part of the library: pages stored then still find it.
const countClick = handler('pushpage.Hello.click', (self: Hello) => {
  const clicks = (self.data.clicks ?? 0) + 1;
  self.data.clicks = clicks;
  self.text = `Hello! I was clicked ${clicks} times`;
});

/** Provides {@link Hello}'s click handler to the handler registry. */
@Injectable()
export class HelloHandlers {
  readonly countClick = countClick;
}
