/** The wire types, from the one file the server uses too. */
export type {
  Ack,
  ApiErrorBody,
  ChildrenView,
  BootState,
  ClientConfig,
  ClientNode,
  DocBroadcast,
  DocMessage,
  DocReply,
  Failure,
  FormValue,
  EventPayload as OutgoingEvent,
  JsonValue,
  MoreReply,
  PageSnapshot,
  PageView,
  PageViewNode,
  ScopePatch,
  UnusableReason,
  WireOp,
} from '../../libs/pushpage/src/protocol';
export { PUSHPAGE_PROPS } from '../../libs/pushpage/src/protocol';
