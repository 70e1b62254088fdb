/** The wire types, from the one file the server uses too. */
export type {
  Ack,
  BootState,
  ClientConfig,
  ClientNode,
  DocBroadcast,
  DocMessage,
  DocReply,
  FormValue,
  EventPayload as OutgoingEvent,
  JsonValue,
  PageSnapshot,
  ScopePatch,
  WireOp,
} from '../../src/protocol';
export { PUSHPAGE_PROPS } from '../../src/protocol';
