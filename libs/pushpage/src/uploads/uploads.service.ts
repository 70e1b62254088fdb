import { Inject, Injectable, Optional } from '@nestjs/common';
import type { IncomingMessage } from 'node:http';
import { pageGone, PushpageError } from '../errors';
import { EventDispatcher, EventOutcome } from '../engine/event-dispatcher';
import { findOnPage, walkLoadedScopes } from '../engine/on-page';
import { accessOfPage, checkVisible } from '../engine/snapshot';
import { PUSHPAGE_TAB_CHANNEL, TabChannel } from '../engine/tab-channel';
import { UnitOfWork } from '../engine/unit-of-work';
import { Upload } from '../model/upload';
import { PUSHPAGE_CONFIG, ResolvedPushpageOptions } from '../options';
import { PUSHPAGE_STORE, PushpageStore } from '../store/store';
import { receiveUpload, UploadLimits } from './upload-receiver';
import { PUSHPAGE_UPLOAD_STORAGE, UploadStorage } from './upload-storage';

/** The session an upload came with (its cookie's). */
export interface UploadSender {
  sessionId: string;
  sessionIssuedAt: number;
}

/** What became of an upload that was taken. */
export interface UploadOutcome {
  /** The `upload` event's outcome. */
  outcome: EventOutcome;
  /** Whether the sender named its socket: its client actions went there, not into the answer. */
  viaSocket: boolean;
}

/**
 * Uploads: checks the target (the session's page, an `Upload` on it that has a handler),
 * receives the files into the upload storage within its limits, then raises its `upload`
 * event on this replica.
 */
@Injectable()
export class UploadsService {
  constructor(
    @Inject(PUSHPAGE_STORE) private readonly store: PushpageStore,
    private readonly dispatcher: EventDispatcher,
    @Inject(PUSHPAGE_UPLOAD_STORAGE) private readonly storage: UploadStorage,
    @Inject(PUSHPAGE_CONFIG) private readonly config: ResolvedPushpageOptions,
    @Optional() @Inject(PUSHPAGE_TAB_CHANNEL) private readonly channel?: TabChannel,
  ) {}

  /**
   * Takes an upload for an `Upload` of a page; throws the refusal (nothing stored) or the
   * event's error (what was stored deleted).
   */
  async take(
    req: IncomingMessage,
    pageId: string,
    componentId: string,
    sender: UploadSender,
  ): Promise<UploadOutcome> {
    const limits = await this.limitsOf(pageId, componentId, sender.sessionId);
    const received = await receiveUpload(req, limits, this.storage);
    const { files } = received;
    try {
      const socketId =
        received.socketId !== undefined &&
        (await this.channel?.showsPage(received.socketId, pageId, sender.sessionId))
          ? received.socketId
          : undefined;
      const outcome = await this.dispatcher.dispatch(
        { pageId, componentId, type: 'upload' },
        {
          sessionId: sender.sessionId,
          sessionIssuedAt: sender.sessionIssuedAt,
          ...(received.tabId === undefined ? {} : { tabId: received.tabId }),
          ...(socketId === undefined ? {} : { socketId }),
          upload: { files },
        },
      );
      return { outcome, viaSocket: socketId !== undefined };
    } catch (error) {
      // the handler never owned them: nothing is left behind for a tab that tries again
      await Promise.allSettled(files.map((file) => this.storage.delete(file.key)));
      throw error;
    }
  }

  /** The limits of the upload, after checking the page, the session and the component. */
  private async limitsOf(
    pageId: string,
    componentId: string,
    sessionId: string,
  ): Promise<UploadLimits> {
    const uow = new UnitOfWork(this.store, null, this.config);
    const page = await uow.loadPage(pageId);
    if (!page) throw pageGone(pageId);
    checkVisible(accessOfPage(page), pageId, sessionId);
    const pageScopes = new Set(walkLoadedScopes(page));
    const component = await findOnPage(uow, pageScopes, pageId, componentId);
    if (!(component instanceof Upload))
      throw new PushpageError('not-found', `component ${componentId} is not an upload`);
    if (!component.handlerFor('upload'))
      throw new PushpageError('not-listening', `upload ${componentId} has no upload handler`);
    return { maxBytes: component.maxBytes, maxFiles: component.maxFiles, accept: component.accept };
  }
}
