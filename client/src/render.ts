import { defineComponent, h, VNode } from 'vue';
import { EventSender } from './events';
import { ChartView } from './chart';
import { addListeners } from './listeners';
import { controlValueOf, valueProps } from './form-controls';
import { ChildPager } from './more';
import { loadQuasar, quasar } from './quasar-loader';
import { quasarModelProps } from './quasar-models';
import { sanitizeHtml } from './safe-html';
import { elementIdOf, LiveNode, PageTree } from './tree';
import { CHART_TAG, PUSHPAGE_PROPS, UPLOAD_TAG } from './types';
import { UploadView } from './upload';

const OWN_PROPS = new Set(PUSHPAGE_PROPS);

const VOID_TAGS = new Set(['input', 'img', 'br', 'hr']);
const PASSED_PROPS = [
  'placeholder',
  'href',
  'src',
  'alt',
  'target',
  'type',
  'name',
  'disabled',
  'maxlength',
  'for',
] as const;
const SPEED_CLASSES = new Set(['slow', 'slower', 'fast', 'faster']);
/** The DOM events that carry a form control's value. */
const VALUE_EVENT_PROP = { input: 'onInput', change: 'onChange' } as const;

function isSafeAttribute(name: string, value: unknown): boolean {
  if (/^on/i.test(name)) return false;
  if (typeof value === 'string' && /^\s*(javascript|vbscript):/i.test(value)) return false;
  return true;
}

function classesOf(node: LiveNode): string {
  const p = node.p;
  const classes = typeof p.classes === 'string' ? p.classes.split(/\s+/).filter(Boolean) : [];
  // `icon` names a Font Awesome icon on HTML elements; on Quasar components it is their prop
  if (typeof p.icon === 'string' && p.icon && !node.t.startsWith('q-'))
    classes.unshift(`fa-${String(p.iconStyle ?? 'solid')}`, `fa-${p.icon}`);
  if (typeof p.animation === 'string' && p.animation) {
    classes.push('animate__animated', `animate__${p.animation}`);
    for (const c of classes) if (SPEED_CLASSES.has(c)) classes.push(`animate__${c}`);
  }
  return classes.join(' ');
}

/** Id, key, class, style and attributes: what HTML elements and Quasar components share. */
function commonProps(node: LiveNode): Record<string, unknown> {
  const p = node.p;
  const props: Record<string, unknown> = {
    id: elementIdOf(node),
    key: `${node.i}:${node.replay}`,
  };
  const classes = classesOf(node);
  if (classes) props.class = classes;
  const style = [typeof p.style === 'string' ? p.style : '', p.show === false ? 'display:none' : '']
    .filter(Boolean)
    .join(';');
  if (style) props.style = style;
  if (p.attrs && typeof p.attrs === 'object' && !Array.isArray(p.attrs)) {
    for (const [name, value] of Object.entries(p.attrs))
      if (name !== 'id' && isSafeAttribute(name, value)) props[name] = value;
  }
  return props;
}

/** Vue props and listeners of an HTML element. */
function propsOf(node: LiveNode, sender: EventSender): Record<string, unknown> {
  const p = node.p;
  const props = commonProps(node);
  for (const name of PASSED_PROPS)
    if (p[name] !== undefined && isSafeAttribute(name, p[name])) props[name] = p[name];
  if (node.v) {
    Object.assign(props, valueProps(node));
    props[VALUE_EVENT_PROP[node.v]] = (e: Event) =>
      sender.valueChanged(node, controlValueOf(node, e.target));
  }
  // a form never reloads the page, whether or not a handler listens to its submit
  if (node.t === 'form') props.onSubmit = (e: Event) => e.preventDefault();
  addListeners(node, sender, props);
  return props;
}

/** Vue props and listeners of a Quasar component: its own props pass through as they are. */
function quasarPropsOf(node: LiveNode, sender: EventSender): Record<string, unknown> {
  const props = commonProps(node);
  for (const [name, value] of Object.entries(node.p))
    if (!OWN_PROPS.has(name) && isSafeAttribute(name, value)) props[name] = value;
  if (node.v) Object.assign(props, quasarModelProps(node, sender));
  addListeners(node, sender, props);
  return props;
}

type NodeViewComponent = ReturnType<typeof defineComponent>;

/** The button after the children a node holds of a longer list: asks for the next ones. */
function moreButton(node: LiveNode, pager: ChildPager): VNode {
  const next = Math.min(node.m, pager.pageSize);
  return h(
    'button',
    {
      key: `${node.i}:more`,
      type: 'button',
      class: 'pushpage-more',
      title: `${node.m} more not shown`,
      disabled: pager.asking.has(node.i),
      onClick: () => void pager.more(node.i),
    },
    `Show ${next} more`,
  );
}

/** A Quasar component with its children in its slots (`slot` prop; default otherwise). */
function renderQuasar(
  node: LiveNode,
  sender: EventSender,
  tree: PageTree,
  pager: ChildPager,
  view: NodeViewComponent,
): VNode {
  const runtime = quasar.runtime;
  if (!runtime) {
    void loadQuasar();
    return h('div', { id: node.i, class: 'pushpage-loading' });
  }
  const props = quasarPropsOf(node, sender);
  if (node.t === 'q-editor' && node.p.collab === true)
    return h(runtime.collabEditor, { node, attrs: props, key: props.key as string });
  const component = runtime.components.get(node.t);
  if (!component) return h('div', { id: node.i }, `unknown Quasar component <${node.t}>`);
  const slots: Record<string, (VNode | string)[]> = {};
  if (typeof node.p.text === 'string' && node.p.text) slots.default = [node.p.text];
  for (const id of node.k) {
    const slot = tree.nodes.get(id)?.p.slot;
    const name = typeof slot === 'string' ? slot : 'default';
    (slots[name] ??= []).push(h(view, { id, key: id }));
  }
  if (node.m > 0) (slots.default ??= []).push(moreButton(node, pager));
  const slotFunctions = Object.fromEntries(
    Object.entries(slots).map(([name, children]) => [name, () => children]),
  );
  return h(component, props, slotFunctions);
}

/**
 * The Vue component that renders one node and, through itself, its children (and a "Show
 * more" button after them when it holds a window of a longer list).
 */
export function nodeView(tree: PageTree, sender: EventSender, pager: ChildPager) {
  const NodeView = defineComponent({
    name: 'PushpageNode',
    props: { id: { type: String, required: true } },
    setup(props) {
      return (): VNode | null => {
        const node = tree.nodes.get(props.id);
        if (!node) return null;
        if (node.t.startsWith('q-')) return renderQuasar(node, sender, tree, pager, NodeView);
        if (node.t === CHART_TAG) return h(ChartView, { node, sender, attrs: commonProps(node) });
        if (node.t === UPLOAD_TAG) return h(UploadView, { node, attrs: commonProps(node) });
        const attrs = propsOf(node, sender);
        if (typeof node.p.unsafeInnerHtml === 'string' && node.p.unsafeInnerHtml) {
          return h(node.t, { ...attrs, innerHTML: node.p.unsafeInnerHtml });
        }
        if (typeof node.p.innerHtml === 'string' && node.p.innerHtml) {
          return h(node.t, { ...attrs, innerHTML: sanitizeHtml(node.p.innerHtml) });
        }
        if (VOID_TAGS.has(node.t) || node.t === 'textarea') return h(node.t, attrs);
        const children: (VNode | string)[] = [];
        if (typeof node.p.text === 'string' && node.p.text) children.push(node.p.text);
        for (const id of node.k) children.push(h(NodeView, { id, key: id }));
        if (node.m > 0) children.push(moreButton(node, pager));
        return h(node.t, attrs, children);
      };
    },
  });
  return NodeView;
}
