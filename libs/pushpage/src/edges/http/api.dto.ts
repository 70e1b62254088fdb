import type {
  ApiErrorBody,
  ChildrenView,
  EventAnswer,
  EventPayload,
  JsonValue,
  PageView,
  PageViewNode,
  UnusableReason,
} from '../../protocol';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { EVENT_NAME_PATTERN, EVENT_PROPERTIES, MAX_EVENT_NAME_LENGTH } from '../../event-wire';
import { ID_PATTERN } from '../../protocol';

/** `POST /api/pages`: open a page of a route, as a browser's GET would. */
export class CreatePageDto {
  @ApiProperty({
    example: '/greet/Ada',
    description:
      'the path to open: a @PageRoute path, or one its :name parameters match (percent-encoded)',
  })
  route!: string;

  @ApiPropertyOptional({ example: { num: '3' }, description: 'query parameters the page sees' })
  query?: Record<string, string>;
}

/** One value typed into a form control, applied before the handler runs. */
export class ApiValueDto {
  @ApiProperty()
  id!: string;

  @ApiProperty()
  value!: string;
}

/** `POST /api/pages/:pageId/events`: an event on a component of the page. */
export class ApiEventDto implements Omit<EventPayload, 'pageId'> {
  @ApiPropertyOptional({
    description: 'unique per event; a retry with the same id is applied once',
  })
  eventId?: string;

  @ApiProperty({ description: 'the component the event happened on' })
  componentId!: string;

  @ApiProperty({
    example: 'click',
    pattern: EVENT_NAME_PATTERN.source,
    maxLength: MAX_EVENT_NAME_LENGTH,
    description:
      'any DOM or component event name (click, dblclick, row-click, update:model-value); ' +
      'one the component does not listen to is refused with 422 not-listening',
  })
  type!: string;

  @ApiPropertyOptional({ description: 'the new value, for input and change events' })
  value?: string;

  @ApiPropertyOptional({ description: 'the key, for keydown and keyup events' })
  key?: string;

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: true,
    example: { key: 'k', ctrlKey: true },
    description:
      'event properties, of ' +
      Object.keys(EVENT_PROPERTIES).join(', ') +
      '; the handler receives those its binding asked for',
  })
  event?: Record<string, JsonValue>;

  @ApiPropertyOptional({ type: [ApiValueDto], description: 'values typed and not yet sent' })
  values?: ApiValueDto[];

  @ApiPropertyOptional({
    pattern: ID_PATTERN.source,
    description:
      "the sending tab's id (the browser keeps one per tab): the handler's msg.storage.tab; " +
      'without it, msg.storage.tab is refused',
  })
  tabId?: string;
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
    type: 'array',
    items: { type: 'object', additionalProperties: true },
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
