import type { Socket } from 'socket.io';
import type { DocTarget } from '../../collab/tab-documents';
import { PushpageError } from '../../errors';
import { Sequencer } from '../../engine/sequencer';

/** What the gateway keeps about a connected tab, in its socket's `data`. */
export interface TabData {
  sessionId: string | null;
  /** When the session started (from its cookie), for its maximum age. */
  issuedAt: number;
  /** Why the socket's session is refused (its cookie, or a revocation): every join and message gets it. */
  refusal?: PushpageError;
  pageId?: string;
  /** The tab id its last join gave (the browser keeps it across reloads of the tab). */
  tabId?: string;
  sequence: Sequencer;
  /** Collaborative documents this tab was allowed to edit: component id → where. */
  docs: Map<string, DocTarget>;
}

/** The tab a socket carries (set when it connects). */
export function tabOf(socket: Socket): TabData {
  return socket.data as TabData;
}
