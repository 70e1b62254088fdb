import { Inject, Injectable, Logger } from '@nestjs/common';
import { QEditor } from '../model/quasar';
import { PushpageError } from '../errors';
import { DocumentPublisher, PUSHPAGE_DOC_PUBLISHER } from '../engine/patch';
import { nearestScope } from '../model/component';
import { PUSHPAGE_CONFIG, ResolvedPushpageOptions } from '../options';
import { DOC_FULL, PUSHPAGE_STORE, DocumentLogStore } from '../store/store';
import { documentState } from './document-state';
import { checkUpdate, mergeUpdates, replacement, textOf, toBase64 } from './yjs-codec';

/** A log this long is merged into one update by the replica that appended to it. */
const COMPACT_AT = 200;

/**
 * The collaborative documents of {@link QEditor}s: every tab's edits are Yjs updates,
 * appended to a log in the store and broadcast to the other tabs; merging them gives the
 * same document everywhere, whatever the order. Handlers read and replace a document here.
 */
@Injectable()
export class PushpageDocuments {
  private readonly logger = new Logger('Pushpage');
  private readonly compacting = new Set<string>();

  constructor(
    @Inject(PUSHPAGE_STORE) private readonly store: DocumentLogStore,
    @Inject(PUSHPAGE_DOC_PUBLISHER) private readonly publisher: DocumentPublisher,
    @Inject(PUSHPAGE_CONFIG) private readonly config: ResolvedPushpageOptions,
  ) {}

  /** The current document of a collaborative editor (HTML; typed by users, so untrusted). */
  async read(editor: QEditor): Promise<string> {
    return textOf(await documentState(this.store, this.scopeOf(editor), editor.id, editor.value));
  }

  /**
   * Replaces the whole document of a collaborative editor; every tab shows the new text
   * at once. Edits a tab makes at the same moment are merged after it. Throws `too-large`,
   * changing nothing, when the document would hold more than `maxDocumentBytes`.
   */
  async replace(editor: QEditor, html: string): Promise<void> {
    const scope = this.scopeOf(editor);
    const current = await documentState(this.store, scope, editor.id, editor.value);
    const update = replacement(current, html);
    await this.append(scope, editor.id, update);
    this.publisher.publishDoc(scope, { c: editor.id, u: toBase64(update) });
  }

  private scopeOf(editor: QEditor): string {
    const scope = nearestScope(editor);
    if (!scope)
      throw new PushpageError(
        'not-found',
        `component ${editor.id} is not on a page loaded here: load its page or shared element first`,
      );
    return scope.id;
  }

  /** @internal The whole document (of a component in `scope`) as one update. */
  state(scope: string, componentId: string, initial: string): Promise<Uint8Array> {
    return documentState(this.store, scope, componentId, initial);
  }

  /**
   * @internal Checks and stores an update a tab sent; throws `bad-request`, `not-found` or
   * `too-large` (the document would pass `maxDocumentBytes`).
   */
  async apply(scope: string, componentId: string, update: Uint8Array): Promise<void> {
    checkUpdate(update);
    await this.append(scope, componentId, update);
  }

  private async append(scope: string, componentId: string, update: Uint8Array): Promise<void> {
    const max = this.config.maxDocumentBytes;
    const length = await this.store.appendDocUpdate(scope, componentId, update, max);
    if (length === 0)
      throw new PushpageError('not-found', `component ${componentId} no longer exists`);
    if (length === DOC_FULL)
      throw new PushpageError(
        'too-large',
        `the document of component ${componentId} may hold at most ${max} bytes, and this ` +
          `edit of ${update.length} bytes would take it past that; nothing was changed`,
      );
    if (length >= COMPACT_AT && !this.compacting.has(componentId)) {
      this.compacting.add(componentId);
      this.compact(scope, componentId)
        .catch((error: unknown) =>
          this.logger.warn(`compacting the document of ${componentId} failed: ${String(error)}`),
        )
        .finally(() => this.compacting.delete(componentId));
    }
  }

  /** Merges a long log into one update; a replica that loses the race changes nothing. */
  private async compact(scope: string, componentId: string): Promise<void> {
    const log = await this.store.loadDocUpdates(scope, componentId);
    if (log.length < COMPACT_AT) return;
    await this.store.compactDoc(scope, componentId, log.length, log[0], mergeUpdates(log));
  }
}
