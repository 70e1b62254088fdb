import type { ApiErrorBody, UnusableReason } from '../protocol';

/**
 * A refusal or failure answered by the REST API, as a test sees it: what the test asked for,
 * and the API's error body (`{ statusCode, code, message, reason? }`, docs/rest.md).
 */
export class PushpageApiError extends Error {
  override readonly name = 'PushpageApiError';

  constructor(
    /** What the test asked for, e.g. `click on <button id="greet"> "Greet"`. */
    readonly action: string,
    /** The HTTP status of the answer. */
    readonly status: number,
    /** The API's error code (`not-found`, `not-listening`, ...), or `http-<status>` without one. */
    readonly code: string,
    /** The API's sentence for people. */
    readonly detail: string,
    /** Why the page cannot be used at all, when that is the refusal. */
    readonly reason?: UnusableReason,
  ) {
    super(`${action} was refused: ${status} ${code}: ${detail}${reason ? ` (${reason})` : ''}`);
  }
}

function isApiErrorBody(body: unknown): body is ApiErrorBody {
  return (
    typeof body === 'object' &&
    body !== null &&
    typeof (body as ApiErrorBody).code === 'string' &&
    typeof (body as ApiErrorBody).message === 'string'
  );
}

/** The error an answer that is not a success stands for; reads its body. */
export async function apiErrorOf(action: string, res: Response): Promise<PushpageApiError> {
  const text = await res.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  if (isApiErrorBody(body)) {
    return new PushpageApiError(action, res.status, body.code, body.message, body.reason);
  }
  // not the API's shape: a proxy, or a route the app serves itself
  const excerpt = text.length > 200 ? `${text.slice(0, 200)}…` : text;
  return new PushpageApiError(action, res.status, `http-${res.status}`, excerpt || res.statusText);
}
