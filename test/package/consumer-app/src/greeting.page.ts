import { Injectable } from '@nestjs/common';
import { Button, Div, handler, PageRenderer, PageRoute, WebPage } from 'pushpage';
import { GreetingService } from './greeting.service';

/** A page of its own per tab: a button whose handler asks the service for the text. */
@Injectable()
@PageRoute('/greet', { title: 'Greeter' })
export class GreetingPage implements PageRenderer {
  constructor(private readonly greetings: GreetingService) {}

  render(): WebPage {
    const page = new WebPage();
    const output = new Div({ text: 'not greeted yet', attrs: { id: 'output' }, parent: page });
    const button = new Button<{ output: Div; count: number }>({
      text: 'Greet',
      click: this.greet,
      attrs: { id: 'greet' },
      parent: page,
    });
    button.data.output = output;
    button.data.count = 0;
    return page;
  }

  /** Stored by name (`GreetingPage.greet`): any replica can run it. */
  readonly greet = handler((self: Button<{ output: Div; count: number }>) => {
    self.data.count += 1;
    self.data.output.text = this.greetings.greet(self.data.count);
  });
}
