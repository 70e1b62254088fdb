import { defineComponent, h, VNode } from 'vue';
import { EventSender } from './events';
import { LiveNode, PageTree } from './tree';

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
] as const;
const SPEED_CLASSES = new Set(['slow', 'slower', 'fast', 'faster']);
const DOM_EVENT_PROP: Record<string, string> = {
  click: 'onClick',
  input: 'onInput',
  change: 'onChange',
  focus: 'onFocus',
  blur: 'onBlur',
  keydown: 'onKeydown',
  keyup: 'onKeyup',
  submit: 'onSubmit',
  mouseenter: 'onMouseenter',
  mouseleave: 'onMouseleave',
};

function isSafeAttribute(name: string, value: unknown): boolean {
  if (/^on/i.test(name)) return false;
  if (typeof value === 'string' && /^\s*(javascript|vbscript):/i.test(value)) return false;
  return true;
}

function classesOf(node: LiveNode): string {
  const p = node.p;
  const classes = typeof p.classes === 'string' ? p.classes.split(/\s+/).filter(Boolean) : [];
  if (typeof p.icon === 'string' && p.icon)
    classes.unshift(`fa-${String(p.iconStyle ?? 'solid')}`, `fa-${p.icon}`);
  if (typeof p.animation === 'string' && p.animation) {
    classes.push('animate__animated', `animate__${p.animation}`);
    for (const c of classes) if (SPEED_CLASSES.has(c)) classes.push(`animate__${c}`);
  }
  return classes.join(' ');
}

function valueOf(target: EventTarget | null): string {
  const el = target as HTMLInputElement | null;
  return el && typeof el.value === 'string' ? el.value : '';
}

/** Vue props and listeners of one node. */
function propsOf(node: LiveNode, sender: EventSender): Record<string, unknown> {
  const p = node.p;
  const props: Record<string, unknown> = { id: node.i, key: `${node.i}:${node.replay}` };
  const classes = classesOf(node);
  if (classes) props.class = classes;
  const style = [typeof p.style === 'string' ? p.style : '', p.show === false ? 'display:none' : '']
    .filter(Boolean)
    .join(';');
  if (style) props.style = style;
  if (p.attrs && typeof p.attrs === 'object' && !Array.isArray(p.attrs)) {
    for (const [name, value] of Object.entries(p.attrs))
      if (isSafeAttribute(name, value)) props[name] = value;
  }
  for (const name of PASSED_PROPS)
    if (p[name] !== undefined && isSafeAttribute(name, p[name])) props[name] = p[name];
  if (node.v) {
    props.value = p.value ?? '';
    props[DOM_EVENT_PROP[node.v]] = (e: Event) => sender.valueChanged(node, valueOf(e.target));
  }
  for (const type of node.e) {
    if (type === node.v) continue;
    const prop = DOM_EVENT_PROP[type];
    if (!prop) continue;
    props[prop] = (e: Event) => {
      if (type === 'submit') e.preventDefault();
      const key = e instanceof KeyboardEvent ? e.key : undefined;
      sender.event(node, type, key === undefined ? {} : { key });
    };
  }
  return props;
}

/** The Vue component that renders one node and, through itself, its children. */
export function nodeView(tree: PageTree, sender: EventSender) {
  const NodeView = defineComponent({
    name: 'PushpageNode',
    props: { id: { type: String, required: true } },
    setup(props) {
      return (): VNode | null => {
        const node = tree.nodes.get(props.id);
        if (!node) return null;
        const attrs = propsOf(node, sender);
        if (typeof node.p.innerHtml === 'string' && node.p.innerHtml) {
          return h(node.t, { ...attrs, innerHTML: node.p.innerHtml });
        }
        if (VOID_TAGS.has(node.t) || node.t === 'textarea') return h(node.t, attrs);
        const children: (VNode | string)[] = [];
        if (typeof node.p.text === 'string' && node.p.text) children.push(node.p.text);
        for (const id of node.k) children.push(h(NodeView, { id, key: id }));
        return h(node.t, attrs, children);
      };
    },
  });
  return NodeView;
}
