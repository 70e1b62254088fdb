/**
 * The handler checks, compiled against the package's type declarations as an app sees them:
 * each `@ts-expect-error` marks a mistake that must not compile (the build fails if one
 * does). Compiled, never imported.
 */
import {
  Button,
  Div,
  EventMessage,
  handler,
  Input,
  registerComponentType,
  Textarea,
} from 'pushpage';

// the app's own client functions, declared as the docs show: calls are checked against them
declare module 'pushpage' {
  interface ClientFunctions {
    consumerViewport(): string;
    consumerGreet(name: string): boolean;
  }
}

/** An app's own component: registered without a cast. */
class Hello extends Div {
  static override readonly typeName: string = 'ConsumerHello';
}
registerComponentType(Hello);

class Handlers {
  readonly onTextarea = handler((self: Textarea) => self.value);
  readonly onDiv = handler((self: Div) => self.text);
  readonly onKeydown = handler((_self: Input, msg: EventMessage<{ n: number }, 'keydown'>) => {
    return msg.key;
  });

  readonly asksTheTab = handler(async (_self: Button, msg: EventMessage) => {
    const size: string = await msg.client.call('consumerViewport');
    const greeted: boolean = await msg.client.callWithin(500, 'consumerGreet', size);
    // @ts-expect-error a function the app did not declare
    await msg.client.call('undeclared');
    // @ts-expect-error an argument of the wrong type
    await msg.client.call('consumerGreet', 42);
    // @ts-expect-error the result is a string, not a number
    const wrong: number = await msg.client.call('consumerViewport');
    // @ts-expect-error questions are for the tab that sent the event, not every tab
    await msg.tabs.call('consumerViewport');
    return [greeted, wrong];
  });

  method(self: Button): void {
    self.text = 'not a handler';
  }
}

export function checks(h: Handlers): void {
  // @ts-expect-error a Textarea handler bound to a Button
  new Button({ click: h.onTextarea });
  // @ts-expect-error the same through on()
  new Button().on('click', h.onTextarea);
  // @ts-expect-error a method not declared with handler()
  new Button({ click: h.method });
  // @ts-expect-error a handler name instead of a handler
  new Button({ click: 'Handlers.onDiv' });
  // @ts-expect-error a keydown handler bound to click
  new Input({ click: h.onKeydown });

  new Textarea({ input: h.onTextarea });
  new Hello({ click: h.onDiv });
  new Hello().on('click', h.onDiv);
  new Input({ keydown: h.onKeydown });
  new Button({ click: h.asksTheTab });
}
