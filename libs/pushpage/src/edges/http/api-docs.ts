import { applyDecorators } from '@nestjs/common';
import { ApiCookieAuth, ApiParam, ApiResponse, ApiSecurity, HeaderObject } from '@nestjs/swagger';
import { ID_PATTERN } from '../../protocol';
import { ApiErrorDto } from './api.dto';
import { SESSION_SECURITY } from './openapi';

/**
 * The OpenAPI documentation of the REST API's parameters, security, answers and refusals,
 * shared by its routes.
 */

/** The headers the API's answers carry, as the OpenAPI document describes them. */
export const API_HEADERS = {
  etag: {
    ETag: {
      description:
        'the exact state of the page (`W/"` + 16 hex digits): send it back in If-None-Match',
      schema: { type: 'string', example: 'W/"0123456789abcdef"' },
    },
  },
  noCache: {
    'Cache-Control': {
      description: '`no-cache`: ask again (with If-None-Match) before using a stored answer',
      schema: { type: 'string', example: 'no-cache' },
    },
  },
  setCookie: {
    'Set-Cookie': {
      description:
        'the session cookie (`pp_session`, HttpOnly, SameSite=Lax) when the request had none ' +
        'this server accepts: send it back on every later call',
      schema: { type: 'string', example: 'pp_session=…; Path=/; HttpOnly; SameSite=Lax' },
    },
  },
  retryAfter: {
    'Retry-After': {
      description: 'seconds to wait before sending the same request again',
      schema: { type: 'integer', minimum: 0 },
    },
  },
  rateLimit: {
    'X-RateLimit-Limit': {
      description: 'requests a second this session (or address) may make, every replica together',
      schema: { type: 'integer' },
    },
    'X-RateLimit-Remaining': {
      description: 'requests left in the current one-second window',
      schema: { type: 'integer' },
    },
    'X-RateLimit-Reset': {
      description: 'seconds until the window ends and the count starts again',
      schema: { type: 'integer' },
    },
  },
} satisfies Record<string, Record<string, HeaderObject>>;

/** Statuses the API refuses a request with, each answered with {@link ApiErrorDto}. */
export type RefusalStatus = 400 | 403 | 404 | 409 | 413 | 415 | 422;

/** What any call may meet, whatever it is: too many requests, a bug, the store away. */
const ALWAYS = [
  ApiResponse({
    status: 429,
    description:
      '`rate-limited`: too many requests from this session (or address), too many new ' +
      'pages from this address, or too many open pages for this session; Retry-After says ' +
      'when to try again',
    type: ApiErrorDto,
    headers: { ...API_HEADERS.retryAfter, ...API_HEADERS.rateLimit },
  }),
  ApiResponse({
    status: 500,
    description: '`internal-error` (a bug, the server log has it) or `handler-failed`',
    type: ApiErrorDto,
  }),
  ApiResponse({
    status: 503,
    description: '`unavailable`: the store (Redis) cannot be reached right now; nothing changed',
    type: ApiErrorDto,
    headers: API_HEADERS.retryAfter,
  }),
];

/**
 * Documents the refusals of a call, each with what it means there, and those every call may
 * meet (429, 500, 503). A `409` carries Retry-After.
 */
export function ApiRefusals(refusals: Partial<Record<RefusalStatus, string>>): MethodDecorator {
  const own = Object.entries(refusals).map(([status, description]) =>
    ApiResponse({
      status: Number(status),
      description,
      type: ApiErrorDto,
      ...(status === '409' ? { headers: API_HEADERS.retryAfter } : {}),
    }),
  );
  return applyDecorators(...own, ...ALWAYS);
}

/** The refusal of another session's page, or of a session the server does not accept. */
export const FORBIDDEN_SESSION =
  '`forbidden`: another session’s page (reason `other-session`), or no session this server ' +
  'accepts: none, expired, idle, revoked or ambiguous (reason `session-unknown`)';

/** The refusal of a change sent from a page of another origin. */
export const FORBIDDEN_ORIGIN = '`forbidden`: sent from a page of another origin';

/** The refusal of an unknown page. */
export const PAGE_GONE = '`not-found`: no such page, it expired or was closed (reason `page-gone`)';

/** The refusal of a malformed id in the path. */
export const BAD_ID =
  '`bad-request`: an id in the path that is not one (1 to 64 of A-Z a-z 0-9 _ -)';

/** Documents the `pageId` path parameter. */
export const pageIdParam = () =>
  ApiParam({ name: 'pageId', schema: { type: 'string', pattern: ID_PATTERN.source } });
/** Documents the `componentId` path parameter. */
export const componentIdParam = () =>
  ApiParam({ name: 'componentId', schema: { type: 'string', pattern: ID_PATTERN.source } });
/** Calls that need the session cookie. */
export const withSession = () => ApiCookieAuth(SESSION_SECURITY);
/** Calls that take the session cookie, and serve shared pages without one. */
export const withSessionOrNone = () =>
  applyDecorators(ApiCookieAuth(SESSION_SECURITY), ApiSecurity({}));

/** The refusals of an event. */
export const EVENT_REFUSALS = {
  400:
    '`bad-request`: malformed JSON, an id that is not one, or an event that is not valid ' +
    '(a malformed type, a value of the wrong kind for its control, unknown fields)',
  403: `${FORBIDDEN_SESSION}; ${FORBIDDEN_ORIGIN}`,
  404: `${PAGE_GONE}, or no such component on it`,
  409:
    '`conflict`: the handler met concurrent changes on every attempt, nothing was applied; ' +
    '`in-progress`: another replica is applying this eventId. Send it again after Retry-After',
  413:
    '`too-large`: a body over the JSON limit, text over a control’s maxLength, or a change ' +
    'past maxChildren or maxScopeBytes',
  422: '`not-listening`: the component has no handler for this event type',
};

/** The refusals of an upload. */
export const UPLOAD_REFUSALS = {
  400:
    '`bad-request`: not multipart/form-data, malformed, no file, too many files or fields, ' +
    'or a field other than files, tabId and socketId',
  403: `${FORBIDDEN_SESSION}; ${FORBIDDEN_ORIGIN}`,
  404: `${PAGE_GONE}, or no Upload of that id on it`,
  409: EVENT_REFUSALS[409],
  413: '`too-large`: a file over the Upload’s maxBytes, or no room in the storage; nothing kept',
  415: '`unsupported-type`: a file of a type the Upload does not accept; nothing kept',
  422: '`not-listening`: the Upload has no upload handler',
};

/** The headers of an answer with a page. */
export const SUCCESS_HEADERS = { ...API_HEADERS.etag, ...API_HEADERS.rateLimit };
