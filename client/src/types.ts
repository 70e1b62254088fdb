/** Wire types shared with the server (see docs/protocol.md). */

export type JsonValue =
  string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

export interface ClientNode {
  i: string;
  t: string;
  p: Record<string, JsonValue>;
  e?: string[];
  k?: string[];
  v?: 'input' | 'change';
}

export type WireOp =
  | ['set', string, string, JsonValue]
  | ['unset', string, string]
  | ['on', string, string]
  | ['off', string, string]
  | ['ins', string, number, string]
  | ['rm', string, string];

export interface ScopePatch {
  s: string;
  v: number;
  o: WireOp[];
  n?: ClientNode[];
  src?: string;
}

export interface PageSnapshot {
  pageId: string;
  nodes: ClientNode[];
  versions: Record<string, number>;
}

export interface ClientConfig {
  socketPath: string;
  websockets: boolean;
}

export interface BootState {
  snapshot: PageSnapshot;
  config: ClientConfig;
}

export interface ErrorBody {
  code: string;
  message: string;
}

export type Ack<T extends object = object> = ({ ok: true } & T) | { ok: false; error: ErrorBody };

/** An event as the server validates it (EventDto). */
export interface OutgoingEvent {
  pageId: string;
  componentId: string;
  type: string;
  value?: string;
  key?: string;
  values?: { id: string; value: string }[];
}
