import type {
  ApiErrorBody,
  ChildrenView,
  EventAnswer,
  JsonValue,
  PageView,
  PageViewNode,
  UnusableReason,
} from '../../protocol';
import { ApiProperty, ApiPropertyOptional, OmitType } from '@nestjs/swagger';
import { Matches, ValidateIf } from 'class-validator';
import { EventDto } from '../../engine/event.dto';
import { ID_PATTERN } from '../../protocol';
import {
  IsQuery,
  IsRoute,
  MAX_QUERY_ENTRIES,
  MAX_QUERY_VALUE_LENGTH,
  MAX_ROUTE_LENGTH,
} from './create-page.checks';

/** `POST /api/pages`: open a page of a route, as a browser's GET would. */
export class CreatePageDto {
  @ApiProperty({
    example: '/greet/Ada',
    pattern: '^/',
    maxLength: MAX_ROUTE_LENGTH,
    description:
      'the path to open: a @PageRoute path, or one its :name parameters match (percent-encoded)',
  })
  @IsRoute()
  route!: string;

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: { type: 'string', maxLength: MAX_QUERY_VALUE_LENGTH },
    maxProperties: MAX_QUERY_ENTRIES,
    example: { num: '3' },
    description: 'query parameters the page sees',
  })
  // absent is fine, null is not (IsOptional would let null through to the page)
  @ValidateIf((_dto: unknown, value: unknown) => value !== undefined)
  @IsQuery()
  query?: Record<string, string>;
}

/**
 * `POST /api/pages/:pageId/events`: an event on a component of the page. The checks and the
 * documentation of its fields are those of the socket's events ({@link EventDto}).
 */
export class ApiEventDto extends OmitType(EventDto, ['pageId'] as const) {
  @ApiPropertyOptional({
    pattern: ID_PATTERN.source,
    description:
      "the sending tab's id (the browser keeps one per tab): the handler's msg.storage.tab; " +
      'without it, msg.storage.tab is refused',
  })
  @ValidateIf((_dto: unknown, value: unknown) => value !== undefined)
  @Matches(ID_PATTERN, { message: 'tabId must be 1 to 64 letters, digits, "_" or "-"' })
  tabId?: string;
}

/**
 * `POST /api/pages/:pageId/uploads/:componentId`, as `multipart/form-data`. The upload
 * service reads the stream itself (no file is held whole), so this class only documents it.
 */
export class UploadFilesDto {
  @ApiProperty({
    type: 'array',
    items: { type: 'string', format: 'binary' },
    description:
      "the files, each within the Upload's maxFiles, maxBytes and accept (its options); " +
      'the field may repeat',
  })
  files!: string[];

  @ApiPropertyOptional({ pattern: ID_PATTERN.source, description: "the sending tab's id" })
  tabId?: string;

  @ApiPropertyOptional({
    pattern: ID_PATTERN.source,
    description:
      "the tab's Socket.IO id: the tab's socket then gets the changes and actions (answer 204)",
  })
  socketId?: string;
}

/** A component as the API shows it. */
export class PageViewNodeDto implements PageViewNode {
  @ApiProperty() id!: string;
  @ApiProperty() tag!: string;
  @ApiProperty({ type: 'object', additionalProperties: true }) props!: Record<string, JsonValue>;
  @ApiPropertyOptional({ type: [String] }) events?: string[];
  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: { type: 'array', items: { type: 'string' } },
    description: 'the event properties an event of `events` sends, for those that ask for some',
  })
  eventProps?: Record<string, string[]>;
  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: { type: 'number' },
    description:
      'the fewest milliseconds between two sends of an event of `events`, for those whose ' +
      'binding set it (mousemove, dragover, scroll and the other THROTTLED_EVENTS wait 100 ' +
      'otherwise, the rest 0)',
  })
  eventThrottles?: Record<string, number>;
  @ApiPropertyOptional({ enum: ['input', 'change'] }) valueEvent?: 'input' | 'change';
  @ApiPropertyOptional({ type: () => [PageViewNodeDto] }) children?: PageViewNodeDto[];
  @ApiPropertyOptional({
    description:
      'how many children after `children` were left out (a list longer than the window); ' +
      'read them with GET /api/pages/{pageId}/components/{id}/children?from={children.length}',
  })
  more?: number;
}

/** A page as the API answers it. */
export class PageViewDto implements PageView {
  @ApiProperty() pageId!: string;
  @ApiProperty({ description: 'rises with every change of the page' }) version!: number;
  @ApiProperty({ type: PageViewNodeDto }) tree!: PageViewNodeDto;
}

/**
 * A client action a handler sent the client that posted the event (docs/rest.md#actions):
 * `do` names it, the other fields depend on it (docs/protocol.md#client-actions).
 */
export class ClientActionDto {
  @ApiProperty({
    enum: [
      'notify',
      'alert',
      'scroll',
      'focus',
      'copy',
      'download',
      'title',
      'favicon',
      'head',
      'dark',
      'navigate',
      'url',
    ],
    example: 'navigate',
  })
  do!: string;

  @ApiPropertyOptional({
    example: '/clock',
    description: '`navigate`: where to go; `url`: the address to show; `download`: the file',
  })
  url?: string;

  @ApiPropertyOptional({ description: '`notify`, `alert`: the text' })
  message?: string;
}

/** What `POST /api/pages/:pageId/events` answers: the page, and the handler's client actions. */
export class EventAnswerDto extends PageViewDto implements EventAnswer {
  @ApiPropertyOptional({
    type: () => [ClientActionDto],
    description:
      'client actions for the client that posted the event, in order: notifications, ' +
      'navigation, downloads, ... (see ClientActionDto; docs/protocol.md#client-actions)',
  })
  actions?: EventAnswer['actions'];

  @ApiPropertyOptional({
    example: '/clock',
    description: 'where the handler sends the client: the url of the last `navigate` action',
  })
  navigate?: string;
}

/** The children of a component from an index on, as the API answers them. */
export class ChildrenViewDto implements ChildrenView {
  @ApiProperty({
    type: [PageViewNodeDto],
    description: 'the children from `from` on, at most the window (500 by default), nested',
  })
  children!: PageViewNodeDto[];
  @ApiProperty({ description: 'how many children follow these' }) more!: number;
}

/** Every error of the API. */
export class ApiErrorDto implements ApiErrorBody {
  @ApiProperty({ example: 404 }) statusCode!: number;
  @ApiProperty({ example: 'not-found' }) code!: string;
  @ApiProperty({ example: 'page AbC does not exist (it expired, or the server lost it)' })
  message!: string;
  @ApiProperty({
    required: false,
    enum: ['page-gone', 'session-unknown', 'other-session'],
    description:
      'Set when the page cannot be used at all: open it again (POST /api/pages) for a fresh one',
  })
  reason?: UnusableReason;
}
