/**
 * The caret as an index into the editor's HTML, so that it can be carried across a change
 * that arrives from another tab. A private-use character marks the spot for a moment; the
 * DOM is left as it was.
 */
const MARK = '\uE000';

/** The caret's index in `el.innerHTML`, or `null` when the caret is not in `el`. */
export function caretIndex(el: HTMLElement): number | null {
  const selection = document.getSelection();
  const node = selection?.focusNode;
  if (!selection || !node || !el.contains(node)) return null;
  const offset = selection.focusOffset;
  let index: number;
  if (node.nodeType === Node.TEXT_NODE) {
    const text = node as Text;
    text.insertData(offset, MARK);
    index = el.innerHTML.indexOf(MARK);
    text.deleteData(offset, 1);
  } else {
    const marker = document.createTextNode(MARK);
    node.insertBefore(marker, node.childNodes[offset] ?? null);
    index = el.innerHTML.indexOf(MARK);
    marker.remove();
  }
  selection.collapse(node, offset);
  return index >= 0 ? index : null;
}

/** Moves an index out of a tag or a character reference, to just after it. */
function outsideMarkup(html: string, index: number): number {
  const tagStart = html.lastIndexOf('<', index - 1);
  if (tagStart > html.lastIndexOf('>', index - 1)) {
    const close = html.indexOf('>', index);
    return close < 0 ? html.length : close + 1;
  }
  const amp = html.lastIndexOf('&', index - 1);
  if (amp >= 0 && amp > html.lastIndexOf(';', index - 1) && index - amp < 12) {
    const semi = html.indexOf(';', index);
    if (semi >= 0 && semi - amp < 12) return semi + 1;
  }
  return index;
}

/**
 * Renders `html` into `el` and puts the caret at `index` of it. The caller passes HTML
 * that is already sanitized; the mark is a plain character and stays text.
 */
export function renderWithCaret(el: HTMLElement, html: string, index: number): void {
  const at = outsideMarkup(html, Math.max(0, Math.min(index, html.length)));
  el.innerHTML = html.slice(0, at) + MARK + html.slice(at);
  const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const text = node as Text;
    const offset = text.data.indexOf(MARK);
    if (offset < 0) continue;
    text.deleteData(offset, 1);
    document.getSelection()?.collapse(text, offset);
    return;
  }
  el.innerHTML = html; // the mark landed where no text can be: drop the caret
}
