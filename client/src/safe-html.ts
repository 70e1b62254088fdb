import DOMPurify from 'dompurify';

/**
 * Untrusted HTML made safe to render, without the browser ever seeing an event-handler
 * attribute.
 *
 * DOMPurify parses its input in an inert document, where nothing runs. Chromium still checks
 * each `on*` attribute it parses against the page's Content-Security-Policy and reports a
 * `script-src-attr` violation (console error, `securitypolicyviolation` event, report to
 * the policy's endpoint) for every one, so a hostile document would flood CSP reporting.
 * `withoutEventHandlers` takes those attributes out of the text first; DOMPurify then
 * removes everything else that is active, and remains the guarantee.
 */
export function sanitizeHtml(html: string): string {
  return DOMPurify.sanitize(withoutEventHandlers(html));
}

/** Passes over the text; input that needs more is left to the sanitizer alone. */
const MAX_PASSES = 8;

/**
 * `html` without any attribute whose name starts with `on` in any start tag the HTML
 * tokenizer could read. Every `<` followed by a letter is read as a start tag, also where
 * the parser will see text (a comment, `<style>`, an attribute value), so no tree-building
 * state can hide one; such text may lose a piece that looks like a handler attribute.
 * Each removed attribute (name to the end of its value) becomes a space, and the text is
 * read again until nothing is found, so a removal cannot join pieces into a new one.
 */
export function withoutEventHandlers(html: string): string {
  let text = html;
  for (let pass = 0; pass < MAX_PASSES; pass++) {
    const spans = handlerAttributes(text);
    if (spans.length === 0) return text;
    text = replaceSpans(text, spans);
  }
  return text;
}

type Span = [start: number, end: number];

const TAB = 0x09;
const LF = 0x0a;
const FF = 0x0c;
const CR = 0x0d;
const SPACE = 0x20;
const DOUBLE_QUOTE = 0x22;
const SINGLE_QUOTE = 0x27;
const SLASH = 0x2f;
const EQUALS = 0x3d;
const GREATER = 0x3e;

/** Whitespace to the tokenizer (a CR is a line feed by the time it reads it). */
function isSpace(code: number): boolean {
  return code === SPACE || code === TAB || code === LF || code === FF || code === CR;
}

function isAsciiLetter(code: number): boolean {
  const lower = code | 0x20;
  return lower >= 0x61 && lower <= 0x7a;
}

function isHandlerName(text: string, start: number, end: number): boolean {
  return (
    end - start >= 2 &&
    (text.charCodeAt(start) | 0x20) === 0x6f && // o
    (text.charCodeAt(start + 1) | 0x20) === 0x6e // n
  );
}

/**
 * Where the first character at or after an index that `stops` is, each index walked once
 * over all calls (tags read from different `<` share the rest of their walk).
 */
function finder(text: string, stops: (code: number) => boolean): (from: number) => number {
  const length = text.length;
  const known = new Int32Array(length + 1); // end + 1, or 0 when not walked yet
  return (from) => {
    let i = from;
    while (i < length && known[i] === 0 && !stops(text.charCodeAt(i))) i++;
    const end = i < length && known[i] !== 0 ? known[i] - 1 : i;
    for (let k = from; k < i; k++) known[k] = end + 1;
    return end;
  };
}

/**
 * Where the `on*` attributes are, following the tokenizer's tag states (HTML Living
 * Standard, 13.2.5.6 to 13.2.5.40) from every `<` and letter, in time linear in the text.
 */
function handlerAttributes(text: string): Span[] {
  const length = text.length;
  const spans: Span[] = [];
  if (!/<[a-z]/i.test(text)) return spans;
  const tagNameEnd = finder(text, (c) => isSpace(c) || c === SLASH || c === GREATER);
  const attributeStart = finder(text, (c) => !isSpace(c) && c !== SLASH);
  const attributeNameEnd = finder(
    text,
    (c) => isSpace(c) || c === SLASH || c === GREATER || c === EQUALS,
  );
  const valueStart = finder(text, (c) => !isSpace(c));
  const unquotedValueEnd = finder(text, (c) => isSpace(c) || c === GREATER);
  /** Attribute starts already read from an earlier `<`: from there on, all is the same. */
  const read = new Uint8Array(length);
  for (let open = text.indexOf('<'); open >= 0; open = text.indexOf('<', open + 1)) {
    if (!isAsciiLetter(text.charCodeAt(open + 1))) continue;
    let i = tagNameEnd(open + 2);
    for (;;) {
      // before attribute name (a `/` not followed by `>` leads back here too)
      i = attributeStart(i);
      if (i >= length || text.charCodeAt(i) === GREATER || read[i]) break;
      read[i] = 1;
      // the attribute's name: its first character may be anything, even `=`
      const start = i;
      const nameEnd = attributeNameEnd(i + 1);
      let end = nameEnd;
      // after the name: `=` and a value, or the next attribute
      i = valueStart(nameEnd);
      if (i < length && text.charCodeAt(i) === EQUALS) {
        i = valueStart(i + 1);
        const quote = text.charCodeAt(i);
        if (quote === DOUBLE_QUOTE || quote === SINGLE_QUOTE) {
          const close = text.indexOf(String.fromCharCode(quote), i + 1);
          i = close < 0 ? length : close + 1;
        } else if (quote !== GREATER) {
          i = unquotedValueEnd(i);
        }
        end = i;
      }
      if (isHandlerName(text, start, nameEnd)) spans.push([start, end]);
    }
  }
  return spans;
}

/** `text` with each (merged) span replaced by one space. */
function replaceSpans(text: string, spans: Span[]): string {
  spans.sort((a, b) => a[0] - b[0]);
  let out = '';
  let copied = 0;
  let k = 0;
  while (k < spans.length) {
    const start = spans[k][0];
    let end = spans[k][1];
    for (k++; k < spans.length && spans[k][0] <= end; k++) end = Math.max(end, spans[k][1]);
    out += text.slice(copied, start) + ' ';
    copied = end;
  }
  return out + text.slice(copied);
}
