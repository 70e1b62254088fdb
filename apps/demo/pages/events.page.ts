import { Injectable } from '@nestjs/common';
import {
  ComponentData,
  defineShared,
  Div,
  EventMessage,
  H1,
  H2,
  handler,
  P,
  PageRenderer,
  PageRequest,
  PageRoute,
  WebPage,
} from 'pushpage';

/** The playground's root: shared by every tab, so each sees the answers to all of them. */
interface PlaygroundData extends ComponentData {
  /** The item a tab started to drag, until it drops it. */
  dragging?: Item;
}
/** A box items are dragged into and out of. */
interface DropBoxData extends ComponentData {
  playground: Playground;
  answer: P;
  name: string;
}
/** A draggable item, and the box it is in. */
interface ItemData extends ComponentData {
  playground: Playground;
  home: DropBox;
}
type Playground = Div<PlaygroundData>;
type DropBox = Div<DropBoxData>;
type Item = Div<ItemData>;
/** A target whose handler writes its answer into a line of the playground. */
type Target = Div<{ answer: P; count: number }>;

const MODIFIER_KEYS = new Set(['Control', 'Shift', 'Alt', 'Meta']);
const SECTION = 'mb-6 p-4 bg-white rounded-lg shadow';
const TARGET = 'p-4 rounded border-2 border-dashed border-blue-400 text-center select-none';
const ANSWER = 'mt-2 text-sm text-gray-700';
const ITEM = 'inline-block m-1 px-3 py-1 rounded bg-amber-200 cursor-move';
const BOX = 'min-h-16 p-2 rounded border-2 border-dashed';

/** The keys held with a key, and the key: `ctrl+shift+k`. */
function chord(event: EventMessage<ComponentData, 'keydown', KeyProps>['event']): string {
  const held = [
    event.ctrlKey && 'ctrl',
    event.altKey && 'alt',
    event.shiftKey && 'shift',
    event.metaKey && 'meta',
  ];
  return [...held.filter(Boolean), event.key.toLowerCase()].join('+');
}

type KeyProps = 'key' | 'ctrlKey' | 'altKey' | 'shiftKey' | 'metaKey';
type PointerProps = 'offsetX' | 'offsetY' | 'clientX' | 'clientY';

/** How often the mouse tracker hears where the mouse is: at most five times a second. */
const TRACKER_THROTTLE_MS = 200;

/**
 * `/events`: any DOM event bound to a server handler, with the event's properties the handler
 * asks for: a double-click, keys with their modifiers, a right-click with its coordinates,
 * a throttled mouse tracker, and drag and drop. The playground is shared: every tab, on any
 * replica, sees each answer.
 */
@Injectable()
@PageRoute('/events', { title: 'Events playground' })
export class EventsPage implements PageRenderer {
  private readonly playground = defineShared('demo:events', () => this.buildPlayground());

  async render(req: PageRequest): Promise<WebPage> {
    const wp = new WebPage({ title: 'Events playground', classes: 'min-h-screen bg-gray-50' });
    const main = new Div({ classes: 'max-w-2xl mx-auto p-8', parent: wp });
    new H1({ text: 'Events playground', classes: 'text-4xl font-bold mb-2', parent: main });
    new P({
      text: 'Every event here runs a handler on the server, which answers below it. Open the page in two tabs: both see every answer.',
      classes: 'text-gray-600 mb-6',
      parent: main,
    });
    const playground = await req.shared(this.playground);
    main.add(playground);
    playground.addPage(wp);
    return wp;
  }

  private buildPlayground(): Playground {
    const playground: Playground = new Div({});
    this.section(playground, 'Double-click', (section, answer) => {
      const target: Target = new Div({ text: 'Double-click me', classes: TARGET, parent: section });
      target.attrs = { id: 'dblclick-target' };
      target.data.answer = answer;
      target.on('dblclick', this.doubleClicked);
    });
    this.section(playground, 'Keys', (section, answer) => {
      const target: Target = new Div({
        text: 'Click here, then press a key with ctrl, alt or shift (ctrl+k, say)',
        classes: TARGET,
        parent: section,
      });
      target.attrs = { id: 'key-target', tabindex: 0 };
      target.data.answer = answer;
      target.on('keydown', this.keyPressed, {
        props: ['key', 'ctrlKey', 'altKey', 'shiftKey', 'metaKey'],
      });
    });
    this.section(playground, 'Context menu', (section, answer) => {
      const target: Target = new Div({ text: 'Right-click me', classes: TARGET, parent: section });
      target.attrs = { id: 'menu-target' };
      target.data.answer = answer;
      target.on('contextmenu', this.menuOpened, {
        props: ['offsetX', 'offsetY', 'clientX', 'clientY'],
      });
    });
    this.section(playground, 'Mouse tracker', (section, answer) => {
      const target: Target = new Div({
        text: 'Move the mouse over me',
        classes: `${TARGET} py-10`,
        parent: section,
      });
      target.attrs = { id: 'mouse-target' };
      target.data.answer = answer;
      // mousemove fires every few milliseconds: the tab sends the first of a burst at once,
      // then at most one every TRACKER_THROTTLE_MS, always the last one of the burst
      target.on('mousemove', this.mouseMoved, {
        props: ['offsetX', 'offsetY'],
        throttle: TRACKER_THROTTLE_MS,
      });
    });
    this.section(playground, 'Drag and drop', (section, answer) => {
      const shelf = this.dropBox(playground, answer, 'shelf', 'bg-gray-50', section);
      this.dropBox(playground, answer, 'box', 'bg-green-50 border-green-500', section);
      for (const name of ['Apple', 'Pear', 'Plum']) {
        const item: Item = new Div({ text: name, classes: ITEM, parent: shelf });
        item.attrs = { id: `item-${name.toLowerCase()}`, draggable: 'true' };
        item.data.playground = playground;
        item.data.home = shelf;
        item.on('dragstart', this.dragStarted);
      }
    });
    return playground;
  }

  /** A section with a title; `fill` adds its target, whose answer is the line below it. */
  private section(parent: Div, title: string, fill: (section: Div, answer: P) => void): void {
    const section = new Div({ classes: SECTION, parent });
    new H2({ text: title, classes: 'text-xl font-semibold mb-2', parent: section });
    const answer = new P({ text: 'nothing yet', classes: ANSWER });
    fill(section, answer);
    answer.attrs = { id: `${title.toLowerCase().replace(/\W+/g, '-')}-answer` };
    section.add(answer);
  }

  private dropBox(
    playground: Playground,
    answer: P,
    name: string,
    classes: string,
    parent: Div,
  ): DropBox {
    const box: DropBox = new Div({ classes: `${BOX} ${classes} mb-2`, parent });
    box.attrs = { id: `drop-${name}`, title: `the ${name}` };
    box.data.playground = playground;
    box.data.answer = answer;
    box.data.name = name;
    box.on('drop', this.dropped);
    return box;
  }

  readonly doubleClicked = handler((self: Target) => {
    const count = (self.data.count ?? 0) + 1;
    self.data.count = count;
    self.data.answer.text = `double-clicked ${count === 1 ? 'once' : `${count} times`}`;
  });

  readonly keyPressed = handler(
    (self: Target, msg: EventMessage<ComponentData, 'keydown', KeyProps>) => {
      if (MODIFIER_KEYS.has(msg.event.key)) return false; // the chord comes with the next key
      self.data.answer.text = `${chord(msg.event)} pressed`;
      return undefined;
    },
  );

  readonly menuOpened = handler(
    (self: Target, msg: EventMessage<ComponentData, 'contextmenu', PointerProps>) => {
      const { offsetX, offsetY, clientX, clientY } = msg.event;
      self.data.answer.text =
        `right-click at ${Math.round(offsetX)}, ${Math.round(offsetY)} in the target ` +
        `(${Math.round(clientX)}, ${Math.round(clientY)} in the window)`;
    },
  );

  readonly mouseMoved = handler(
    (self: Target, msg: EventMessage<ComponentData, 'mousemove', 'offsetX' | 'offsetY'>) => {
      const count = (self.data.count ?? 0) + 1;
      self.data.count = count;
      self.data.answer.text =
        `mouse at ${Math.round(msg.event.offsetX)}, ${Math.round(msg.event.offsetY)} ` +
        `(${count === 1 ? '1 event' : `${count} events`} heard)`;
    },
  );

  readonly dragStarted = handler((self: Item) => {
    self.data.playground.data.dragging = self;
  });

  readonly dropped = handler((self: DropBox, msg: EventMessage) => {
    const playground = self.data.playground;
    const item = playground.data.dragging;
    if (!item) return false;
    delete playground.data.dragging;
    const from = item.data.home;
    if (from !== self) {
      from.remove(item);
      self.add(item);
      item.data.home = self;
    }
    self.data.answer.text = `${item.text} dropped into the ${self.data.name}`;
    msg.client.notify(`${item.text} is in the ${self.data.name} now`, { type: 'positive' });
    return undefined;
  });
}
