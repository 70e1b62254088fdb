import { Injectable } from '@nestjs/common';
import {
  Button,
  Checkbox,
  defineShared,
  Div,
  H1,
  handler,
  Input,
  Label,
  P,
  PageRenderer,
  PageRequest,
  PageRoute,
  WebPage,
} from 'pushpage';

const FIRST_HEADING = 'Type below';

/**
 * One page for everybody: two fields bound to the heading and the checkbox to the note's
 * visibility, both ways, with no handler of the app's but the reset. What one tab types shows
 * in every tab, on every replica, in the heading and the other field (JustPy's `model=` on a
 * shared page); the reset changes the heading on the server and both fields follow.
 */
function buildBoundPage(reset: ResetHandler): WebPage {
  const wp = new WebPage({ title: 'Bound to everyone' });
  const main = new Div({ classes: 'max-w-xl mx-auto p-8', parent: wp });
  const heading = new H1({
    text: FIRST_HEADING,
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
  new Input({
    classes: 'block w-full border rounded p-2 mb-3 bg-gray-50',
    attrs: { id: 'mirror', 'aria-label': 'The same heading' },
    maxLength: 80,
    debounce: 100,
    parent: main,
  }).bindValue(heading, 'text');
  new Button({
    text: 'Reset the heading',
    classes: 'mb-4 px-3 py-1 rounded bg-gray-200',
    attrs: { id: 'reset' },
    click: reset,
    data: { heading },
    parent: main,
  });
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
}

type ResetButton = Button<{ heading: H1 }>;
type ResetHandler = BindPage['reset'];

/** `/bind`: a shared page of bound controls. */
@Injectable()
@PageRoute('/bind', { title: 'Bound to everyone' })
export class BindPage implements PageRenderer {
  private readonly page = defineShared('demo:bind', () => buildBoundPage(this.reset));

  render(req: PageRequest): Promise<WebPage> {
    return req.shared(this.page);
  }

  /** Changes the heading only, on the server: the bound fields follow in every tab. */
  readonly reset = handler((self: ResetButton) => {
    self.data.heading.text = FIRST_HEADING;
  });
}
