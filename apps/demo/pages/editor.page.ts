import { Injectable } from '@nestjs/common';
import {
  defineShared,
  PageRenderer,
  PageRequest,
  PageRoute,
  QEditor,
  QuasarPage,
  WebPage,
} from 'pushpage';

/**
 * One page for everybody with one document: JustPy's `QuasarPage(delete_flag=False)` with a
 * kitchen-sink `QEditor`. Unlike JustPy's, two people typing at once both keep every
 * character: the editor is a collaborative document merged character by character.
 */
const EDITOR_PAGE = defineShared('demo:editor', () => {
  const wp = new QuasarPage({ title: 'Collaborative editor' });
  new QEditor({
    kitchenSink: true,
    height: '94vh',
    placeholder: 'Type here; every open tab edits this document with you',
    parent: wp,
  });
  return wp;
});

/** `/editor`: the seed's shared editor. */
@Injectable()
@PageRoute('/editor')
export class EditorPage implements PageRenderer {
  render(req: PageRequest): Promise<WebPage> {
    return req.shared(EDITOR_PAGE);
  }
}
