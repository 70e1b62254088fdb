import { Injectable } from '@nestjs/common';
import { PageRenderer, PageRoute, WebPage } from 'pushpage';
import { Hello } from '../components/hello';

/** `/hello`: ten `Hello` elements, each counting its own clicks; events go by HTTP (no websocket). */
@Injectable()
@PageRoute('/hello', { title: 'Hello' })
export class HelloPage implements PageRenderer {
  render(): WebPage {
    const wp = new WebPage({ title: 'Hello', websockets: false });
    for (let i = 0; i < 10; i++) new Hello({ parent: wp });
    return wp;
  }
}
