import { QEditor } from 'quasar';
import * as Y from 'yjs';
import { defineComponent, h, nextTick, onBeforeUnmount, PropType, ref, watch } from 'vue';
import { sanitizeHtml } from '../safe-html';
import { LiveNode } from '../tree';
import { caretIndex, renderWithCaret } from './caret';
import { DocRegistry } from './shared-doc';
import { KITCHEN_SINK } from './toolbar';

type EditorInstance = { getContentEl(): Element; runCmd(cmd: string): void };

/**
 * A `q-editor` bound to a collaborative document. Typing turns into document edits; edits
 * from other tabs are rendered in place, and the caret stays on the character it was next to.
 *
 * The document is user input: the editor renders only its sanitized HTML (`sanitizeHtml`,
 * which never lets the browser parse an event-handler attribute). The source view shows the
 * document as text, which is never parsed; leaving it sanitizes what was typed there before
 * Quasar renders it.
 */
export function collabEditor(docs: DocRegistry) {
  return defineComponent({
    name: 'PushpageCollabEditor',
    props: {
      node: { type: Object as PropType<LiveNode>, required: true },
      attrs: { type: Object as PropType<Record<string, unknown>>, required: true },
    },
    setup(props) {
      const shared = docs.open(props.node.i, props.node.p.doc as string | undefined);
      /** What the editor shows: sanitized HTML, or in the source view the document's text. */
      const html = ref(sanitizeHtml(shared.toString()));
      const editor = ref<EditorInstance | null>(null);
      /** The caret during a remote change, tied to the character before it. */
      let caret: Y.RelativePosition | null = null;
      /** Whether the editor shows the document as text: Quasar's source view (`toggleSource`). */
      let viewingSource = false;

      const contentEl = (): HTMLElement | null =>
        (editor.value?.getContentEl() as HTMLElement | undefined) ?? null;

      shared.view = {
        beforeRemote() {
          if (viewingSource) return; // Quasar keeps the caret's offset in the text
          const el = contentEl();
          const index = el ? caretIndex(el) : null;
          caret =
            index === null ? null : Y.createRelativePositionFromTypeIndex(shared.text, index, -1);
        },
        afterRemote() {
          const text = shared.toString();
          if (viewingSource) {
            html.value = text; // shown as text, sanitized when the source view is left
            return;
          }
          const safe = sanitizeHtml(text);
          const at = caret
            ? (Y.createAbsolutePositionFromRelativePosition(caret, shared.doc)?.index ?? null)
            : null;
          caret = null;
          html.value = safe;
          void nextTick(() => {
            const el = contentEl();
            if (!el) return;
            if (at !== null) renderWithCaret(el, safe, at);
            // Markup the browser rewrites (or the sanitizer removed) goes back into the
            // document, so every tab holds what it shows.
            if (el.innerHTML !== text) {
              html.value = el.innerHTML;
              shared.edit(el.innerHTML);
            }
          });
        },
      };

      watch(
        () => props.node.p.doc,
        (state) => {
          if (typeof state === 'string') docs.open(props.node.i, state);
        },
      );
      onBeforeUnmount(() => {
        shared.view = null;
      });

      const onInput = (value: string) => {
        html.value = value;
        shared.edit(value);
      };

      /**
       * The source view button. Leaving the source view, Quasar renders the editor's value as
       * HTML, and that value is what was typed as text: it is sanitized first (what the
       * sanitizer changed goes into the document), and the view is switched once the editor
       * holds the sanitized value.
       */
      const toggleSource = () => {
        const vm = editor.value;
        if (!vm) return;
        if (!viewingSource) {
          viewingSource = true;
          vm.runCmd('viewsource');
          return;
        }
        viewingSource = false;
        const text = shared.toString();
        const safe = sanitizeHtml(text);
        html.value = safe;
        if (safe !== text) shared.edit(safe);
        void nextTick(() => {
          if (editor.value === vm) vm.runCmd('viewsource');
        });
      };
      const definitions = { viewsource: { handler: toggleSource } };

      return () => {
        const p = props.node.p;
        const toolbarProps = p.kitchenSink === true ? KITCHEN_SINK : {};
        return h(QEditor, {
          ...toolbarProps,
          ...props.attrs,
          definitions,
          ref: editor,
          modelValue: html.value,
          readonly: !shared.editable || props.attrs.readonly === true,
          'onUpdate:modelValue': onInput,
        });
      };
    },
  });
}
