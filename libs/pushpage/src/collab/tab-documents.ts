import { Inject, Injectable } from '@nestjs/common';
import { notOnPage, PushpageError } from '../errors';
import { DocumentPublisher, PUSHPAGE_DOC_PUBLISHER } from '../engine/patch';
import { accessOf } from '../model/serialize';
import { checkVisible, scopeOfRecord } from '../engine/snapshot';
import { clientNodeOfStored } from '../model/serialize';
import { WebPage } from '../model/web-page';
import { PushpageMetrics } from '../ops/metrics.service';
import { DocReply } from '../protocol';
import { PUSHPAGE_STORE, PushpageStore } from '../store/store';
import { isCollaborative } from './document-state';
import { PushpageDocuments } from './documents.service';
import { missingPart, toBase64 } from './yjs-codec';

/** A collaborative document on a page: the scope its log is kept in, its initial text. */
export interface DocTarget {
  scope: string;
  initial: string;
}

/** A tab's checked `doc` message: an update to store, a state vector to answer, or both. */
export interface DocumentEdit {
  pageId: string;
  componentId: string;
  update?: Uint8Array;
  stateVector?: Uint8Array;
}

/** A connected tab, as editing documents needs it (the socket edge gives it). */
export interface DocumentTab {
  /** The tab's connection, which is not sent its own updates back. */
  readonly id: string;
  readonly sessionId: string | null;
  /** The page the tab joined, if any. */
  readonly pageId: string | undefined;
  /** Documents the tab was allowed to edit: component id → where. */
  readonly docs: Map<string, DocTarget>;
}

/** The documents one tab remembers having been allowed to edit, at most. */
const DOCS_REMEMBERED = 1000;

/**
 * Tabs' edits of the collaborative documents on their page: stores and broadcasts an update,
 * and answers a state vector with what the tab lacks.
 */
@Injectable()
export class TabDocuments {
  constructor(
    @Inject(PUSHPAGE_STORE) private readonly store: PushpageStore,
    private readonly documents: PushpageDocuments,
    @Inject(PUSHPAGE_DOC_PUBLISHER) private readonly publisher: DocumentPublisher,
    private readonly metrics: PushpageMetrics,
  ) {}

  async edit(tab: DocumentTab, edit: DocumentEdit): Promise<DocReply> {
    const target = await this.target(tab, edit);
    if (edit.update) {
      await this.documents.apply(target.scope, edit.componentId, edit.update);
      // a failed edit is counted where it is answered (the socket's exception filter)
      this.metrics.docUpdates.inc({ result: 'ok' });
      this.publisher.publishDoc(
        target.scope,
        { c: edit.componentId, u: toBase64(edit.update) },
        tab.id,
      );
    }
    if (!edit.stateVector) return {};
    const state = await this.documents.state(target.scope, edit.componentId, target.initial);
    return { update: toBase64(missingPart(state, edit.stateVector)) };
  }

  /**
   * Checks (once per tab) that the document is a collaborative editor on the joined page.
   * Reads the page's records only: building its snapshot would merge every document on it.
   */
  private async target(tab: DocumentTab, edit: DocumentEdit): Promise<DocTarget> {
    if (tab.pageId !== edit.pageId)
      throw new PushpageError('forbidden', 'join the page before editing its documents');
    const known = tab.docs.get(edit.componentId);
    if (known) return known;
    const records = await this.store.load([edit.pageId], 'tree');
    const page = records[0];
    checkVisible(
      page?.id === edit.pageId && page.type === WebPage.typeName ? accessOf(page.fields) : null,
      edit.pageId,
      tab.sessionId,
    );
    const record = records.find((r) => r.id === edit.componentId);
    if (!record) throw notOnPage(edit.componentId, edit.pageId);
    const props = clientNodeOfStored(record).p;
    if (!isCollaborative(props))
      throw new PushpageError(
        'not-listening',
        `component ${edit.componentId} is not a collaborative document`,
      );
    const target: DocTarget = {
      scope: scopeOfRecord(records, record.id),
      initial: typeof props.value === 'string' ? props.value : '',
    };
    if (tab.docs.size < DOCS_REMEMBERED) tab.docs.set(record.id, target);
    return target;
  }
}
