import { Injectable } from '@nestjs/common';
import {
  Checkbox,
  defineShared,
  Div,
  H1,
  Input,
  Label,
  P,
  PageRenderer,
  PageRequest,
  PageRoute,
  WebPage,
} from 'pushpage';

/**
 * One page for everybody: the field is bound to the heading and the checkbox to the note's
 * visibility, with no handler of the app's. What one tab types shows in every tab, on every
 * replica (JustPy's `model=` on a shared page).
 */
const BOUND_PAGE = defineShared('demo:bind', () => {
  const wp = new WebPage({ title: 'Bound to everyone' });
  const main = new Div({ classes: 'max-w-xl mx-auto p-8', parent: wp });
  const heading = new H1({
    text: 'Type below',
    classes: 'text-3xl font-bold mb-4',
    attrs: { id: 'heading' },
    parent: main,
  });
  const field = new Input({
    placeholder: 'A heading for everyone',
    classes: 'block w-full border rounded p-2 mb-3',
    attrs: { id: 'field' },
    maxLength: 80,
    debounce: 100,
    parent: main,
  });
  field.bindValue(heading, 'text');
  const note = new P({
    text: 'Everybody sees this note while the box is ticked.',
    classes: 'text-gray-600',
    attrs: { id: 'note' },
    show: false,
  });
  const ticked = new Checkbox({ attrs: { id: 'show-note' }, parent: main });
  ticked.bindValue(note, 'show');
  main.add(new Label({ text: ' Show the note', for: ticked }), note);
  return wp;
});

/** `/bind`: a shared page of bound controls. */
@Injectable()
@PageRoute('/bind', { title: 'Bound to everyone' })
export class BindPage implements PageRenderer {
  render(req: PageRequest): Promise<WebPage> {
    return req.shared(BOUND_PAGE);
  }
}
