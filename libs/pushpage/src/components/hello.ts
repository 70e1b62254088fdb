import { Handler } from '../events/handler.decorator';
import { ComponentData, ComponentOptions } from './component';
import { Div } from './html';

const HELLO_CLASSES =
  'm-1 p-1 text-2xl text-red-600 hover:bg-red-800 hover:text-yellow-300 cursor-pointer';

/** JustPy's `Hello`: a div that counts its clicks. */
export class Hello<D extends ComponentData = ComponentData> extends Div<D & { clicks: number }> {
  static override readonly typeName: string = 'Hello';

  constructor(options: ComponentOptions<D & { clicks: number }> = {}) {
    super({ text: 'Hello! (click me)', classes: HELLO_CLASSES, ...options });
    if (!options.click) this.on('click', HelloHandlers.prototype.countClick);
  }
}

/** @internal The built-in handler of {@link Hello}; provided by the Pushpage module. */
export class HelloHandlers {
  @Handler('pushpage.Hello.click')
  countClick(self: Hello): void {
    const clicks = (self.data.clicks ?? 0) + 1;
    self.data.clicks = clicks;
    self.text = `Hello! I was clicked ${clicks} times`;
  }
}
