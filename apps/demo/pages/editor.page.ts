import { Injectable } from '@nestjs/common';
import {
  defineShared,
  PageRenderer,
  PageRequest,
  PageRoute,
  Textarea,
  WebPage,
} from '../../../libs/pushpage/src';

/** One page for everybody with one document; typing in any tab reaches every other tab. */
const EDITOR_PAGE = defineShared('demo:editor', () => {
  const wp = new WebPage({ title: 'Collaborative editor', classes: 'p-2' });
  new Textarea({
    placeholder: 'Type here; every open tab sees it',
    classes:
      'w-full p-4 border-2 border-gray-300 rounded font-mono focus:outline-none focus:border-blue-500',
    style: 'height: 94vh',
    debounce: 100,
    parent: wp,
  });
  return wp;
});

/** `/editor`: the seed's shared editor (a textarea until the Quasar editor lands). */
@Injectable()
@PageRoute('/editor')
export class EditorPage implements PageRenderer {
  render(req: PageRequest): Promise<WebPage> {
    return req.shared(EDITOR_PAGE);
  }
}
