import * as Y from 'yjs';
import { DocTransport, fromBase64, SharedDoc } from '../../../client/src/quasar/shared-doc';
import { Ack, DocMessage, DocReply } from '../../../client/src/types';

/** A joined socket that records each `doc` message and answers it when the test says. */
function transport(): {
  sent: { message: DocMessage; reply: (ack: Ack<DocReply> | null) => void }[];
  socket: DocTransport;
} {
  const sent: { message: DocMessage; reply: (ack: Ack<DocReply> | null) => void }[] = [];
  return {
    sent,
    socket: {
      send: (message, reply) => sent.push({ message, reply }),
      onBroadcast: () => undefined,
      onJoined: () => undefined,
      joined: true,
    },
  };
}

/** The text of a document made of the updates a tab sent. */
function textOf(updates: string[]): string {
  const doc = new Y.Doc();
  for (const update of updates) Y.applyUpdate(doc, fromBase64(update));
  return doc.getText('html').toString();
}

describe('a tab’s collaborative document, refused as too large', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('keeps the refused edit and sends it again with the next edit, not in a loop', () => {
    const { sent, socket } = transport();
    const doc = new SharedDoc('editor', () => 'page', socket);
    doc.edit('a long paste');
    expect(sent).toHaveLength(1);
    sent[0].reply({
      ok: false,
      error: { code: 'too-large', message: 'the document may hold at most 10 bytes' },
    });
    jest.advanceTimersByTime(10_000);
    expect(sent).toHaveLength(1);
    expect(doc.pending).toBe(1);

    // the user deletes most of it: the next message carries both edits, merged
    doc.edit('a');
    jest.advanceTimersByTime(100);
    expect(sent).toHaveLength(2);
    expect(textOf([sent[1].message.update as string])).toBe('a');
    sent[1].reply({ ok: true });
    expect(doc.pending).toBe(0);
  });

  it('still backs off and sends again after rate-limited', () => {
    const { sent, socket } = transport();
    const doc = new SharedDoc('editor', () => 'page', socket);
    doc.edit('typed');
    sent[0].reply({ ok: false, error: { code: 'rate-limited', message: 'slow down' } });
    jest.advanceTimersByTime(1000);
    expect(sent).toHaveLength(2);
    expect(textOf([sent[1].message.update as string])).toBe('typed');
  });
});
