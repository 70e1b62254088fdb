/**
 * The handler registry names the handlers it finds in the fields of the app's providers
 * (`ClassName.field`, or the name given), so a name stored with a component runs the same
 * code, with the same provider as `this`, on every replica.
 */
import { Logger } from '@nestjs/common';
import { Button, handler } from '../../../libs/pushpage/src';
import { PushpageError } from '../../../libs/pushpage/src/errors';
import { registryOf } from '../../support/handler-registry';

class Greeter {
  readonly greetings: string[] = [];
  readonly prefix = 'hello';

  readonly greet = handler((self: Button, msg: { pageId: string }) => {
    this.greetings.push(`${this.prefix} ${self.text} on ${msg.pageId}`);
  });
  readonly named = handler('greeter.named', function (this: object) {
    return this;
  });
  /** Not a handler: a plain function in a field is left alone. */
  readonly plain = () => 'plain';
}

class Elsewhere {
  readonly greet = handler('greeter.named', () => undefined);
}

describe('the handler registry', () => {
  it('names the handlers of providers, and runs them with their provider as `this`', async () => {
    const greeter = new Greeter();
    // before the app starts the handler has no name: binding it fails at once
    expect(() => new Button({ click: greeter.greet })).toThrow(
      /greet is not registered|not registered/,
    );
    const registry = registryOf({ unrelated: true }, greeter);
    const button = new Button({ text: 'Ann', click: greeter.greet });
    expect(button.handlerFor('click')).toBe('Greeter.greet');
    await registry.resolve('Greeter.greet').call(button, { pageId: 'p1' });
    expect(greeter.greetings).toEqual(['hello Ann on p1']);
    expect(registry.resolve('greeter.named').call(button, {})).toBe(greeter);
    expect(() => registry.resolve('Greeter.plain')).toThrow(PushpageError);
  });

  it('runs the handlers of a class provided twice on its first instance', async () => {
    const [first, second] = [new Greeter(), new Greeter()];
    const registry = registryOf(first, second);
    await registry.resolve('Greeter.greet').call(new Button({ text: 'Bo' }), { pageId: 'p2' });
    expect([first.greetings, second.greetings]).toEqual([['hello Bo on p2'], []]);
  });

  it('refuses two handlers of one name', () => {
    expect(() => registryOf(new Greeter(), new Elsewhere())).toThrow(
      /two handlers are named "greeter.named"/,
    );
  });

  it('warns of a named handler that no provider holds, and refuses its events', () => {
    const warned: string[] = [];
    jest.spyOn(Logger.prototype, 'warn').mockImplementation((m: unknown) => {
      warned.push(String(m));
    });
    try {
      handler('orphan.click', () => undefined);
      const registry = registryOf(new Greeter());
      expect(warned).toContain(
        'handler orphan.click belongs to a class that is not a provider; events bound to it will fail',
      );
      expect(() => registry.resolve('orphan.click')).toThrow(
        'handler "orphan.click" is not available on this server',
      );
    } finally {
      jest.restoreAllMocks();
    }
  });
});
