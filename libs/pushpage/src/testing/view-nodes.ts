import type { PageViewNode } from '../protocol';

/** Every node of a view's tree, parents before their children (document order). */
export function nodesOf(node: PageViewNode): PageViewNode[] {
  return [node, ...(node.children ?? []).flatMap(nodesOf)];
}

/** The node's HTML `id` attribute (`attrs: { id }` when the page built it). */
export function htmlIdOf(node: PageViewNode): string | undefined {
  const attrs = node.props.attrs;
  if (typeof attrs !== 'object' || attrs === null || Array.isArray(attrs)) return undefined;
  return typeof attrs.id === 'string' ? attrs.id : undefined;
}

/** The node's own text (`props.text`), '' when it has none. */
export function textOf(node: PageViewNode): string {
  const text = node.props.text;
  return typeof text === 'string' || typeof text === 'number' ? String(text) : '';
}

const MAX_DESCRIBED_TEXT = 40;

/** A short description for messages: `<button id="greet"> "Greet"`. */
export function describeNode(node: PageViewNode): string {
  const id = htmlIdOf(node);
  const text = textOf(node);
  const shown = text.length > MAX_DESCRIBED_TEXT ? `${text.slice(0, MAX_DESCRIBED_TEXT)}…` : text;
  return `<${node.tag}${id === undefined ? '' : ` id="${id}"`}>${shown ? ` "${shown}"` : ''}`;
}
