/**
 * Listeners for the events a node's handlers listen to: any DOM event and any event of a Vue
 * or Quasar component, bound as functions (never as attribute strings), each sending the
 * event with the properties its handler asked for, throttled as its binding says.
 */
import { eventNameProblem, eventThrottle } from '../../libs/pushpage/src/event-wire';
import { pickEventProperties } from './event-properties';
import { EventSender } from './events';
import { LiveNode } from './tree';

/** Events whose browser default the tab prevents once a handler is bound to them. */
const PREVENTED = new Set(['submit', 'drop', 'dragover', 'contextmenu']);

type Listener = (...received: unknown[]) => void;

/**
 * The Vue prop that listens to an event, or `undefined` for a name that is not an event name.
 * Vue finds a component's listener under `on` + the camelized name (`row-click` →
 * `onRowClick`) and turns an element's back into the name (`onRowClick` → `row-click`), so
 * one prop serves both.
 */
export function listenerProp(type: string): string | undefined {
  if (eventNameProblem(type) !== undefined) return undefined;
  const camel = type.replace(/-([a-z])/g, (_, letter: string) => letter.toUpperCase());
  return `on${camel.charAt(0).toUpperCase()}${camel.slice(1)}`;
}

/** Adds a listener to `props`, after any listener already there (a value listener, say). */
function addListener(props: Record<string, unknown>, prop: string, listener: Listener): void {
  const existing = props[prop];
  props[prop] =
    typeof existing === 'function'
      ? (...received: unknown[]) => {
          (existing as Listener)(...received);
          listener(...received);
        }
      : listener;
}

function preventDefault(received: readonly unknown[]): void {
  const first = received[0];
  if (first instanceof Event) first.preventDefault();
}

/** Firefox starts a drag only with some data in it: the dragged component's id. */
function giveDragData(node: LiveNode, received: readonly unknown[]): void {
  const first = received[0];
  const transfer =
    typeof DragEvent !== 'undefined' && first instanceof DragEvent ? first.dataTransfer : null;
  if (transfer && transfer.types.length === 0) transfer.setData('text/plain', node.i);
}

/**
 * Listeners of the events the node's handlers listen to (not its value event, which the
 * renderer sends as typed values). A node listening to `drop` also prevents `dragover`'s
 * default, without which the browser never drops there. The default of a prevented event is
 * prevented on every firing, also one a throttle keeps from being sent; the event's
 * properties are read when it fires, and sent then or when its throttle lets it go.
 */
export function addListeners(
  node: LiveNode,
  sender: EventSender,
  props: Record<string, unknown>,
): void {
  for (const type of node.e) {
    if (type === node.v) continue;
    const prop = listenerProp(type);
    if (!prop) continue;
    addListener(props, prop, (...received: unknown[]) => {
      if (PREVENTED.has(type)) preventDefault(received);
      if (type === 'dragstart') giveDragData(node, received);
      const first = received[0];
      const key =
        typeof KeyboardEvent !== 'undefined' && first instanceof KeyboardEvent
          ? first.key
          : undefined;
      const asked = node.a[type];
      const event = asked ? pickEventProperties(received, asked) : undefined;
      sender.event(
        node,
        type,
        {
          ...(key === undefined ? {} : { key }),
          ...(event === undefined ? {} : { event }),
        },
        eventThrottle(type, node.r[type]),
      );
    });
  }
  if (node.e.includes('drop') && !node.e.includes('dragover'))
    addListener(props, 'onDragover', (...received: unknown[]) => preventDefault(received));
}
