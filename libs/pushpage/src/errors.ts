/** Machine-readable reasons an event or request is refused. */
export type PushpageErrorCode =
  | 'bad-request'
  | 'forbidden'
  | 'not-found'
  | 'not-listening'
  | 'too-large'
  | 'handler-failed'
  | 'in-progress'
  | 'rate-limited'
  | 'unavailable';

const STATUS: Record<PushpageErrorCode, number> = {
  'bad-request': 400,
  forbidden: 403,
  'not-found': 404,
  'not-listening': 422,
  'too-large': 413,
  'handler-failed': 500,
  'in-progress': 409,
  'rate-limited': 429,
  unavailable: 503,
};

/** An error the client is told about, with a code and an HTTP status. */
export class PushpageError extends Error {
  constructor(
    readonly code: PushpageErrorCode,
    message: string,
  ) {
    super(message);
  }

  get status(): number {
    return STATUS[this.code];
  }

  toJSON(): { code: PushpageErrorCode; message: string } {
    return { code: this.code, message: this.message };
  }
}
