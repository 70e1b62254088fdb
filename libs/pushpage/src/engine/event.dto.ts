import { plainToInstance, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  buildMessage,
  IsArray,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  ValidateBy,
  ValidateNested,
  validateSync,
} from 'class-validator';
import { PushpageError } from '../errors';
import { validationMessages } from './validation-messages';
import { checkPlainJson } from './plain-json';
import { eventPropertyProblems } from './event-properties';
import { EventPayload, FormValue, ID_PATTERN, JsonValue } from '../protocol';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  EVENT_PROPERTIES_SCHEMA,
  FORM_VALUE_SCHEMA,
  MAX_CHOICE_LENGTH,
  MAX_CHOICES,
  MAX_VALUE_LENGTH,
} from './event-schemas';
import { EVENT_NAME_PATTERN, eventNameProblem, MAX_EVENT_NAME_LENGTH } from '../event-wire';

function isChoice(item: unknown): boolean {
  return (
    (typeof item === 'string' && item.length <= MAX_CHOICE_LENGTH) ||
    (typeof item === 'number' && Number.isFinite(item))
  );
}

/** Text (at most 512 KiB), a finite number, a boolean, null, or a list of choices. */
export function isFormValue(value: unknown): value is FormValue {
  if (value === null || typeof value === 'boolean') return true;
  if (typeof value === 'string') return value.length <= MAX_VALUE_LENGTH;
  if (typeof value === 'number') return Number.isFinite(value);
  return Array.isArray(value) && value.length <= MAX_CHOICES && value.every(isChoice);
}

/** Property decorator: the value must be a {@link FormValue}. */
function IsFormValue(): PropertyDecorator {
  return ValidateBy({
    name: 'isFormValue',
    validator: {
      validate: (value: unknown) => isFormValue(value),
      defaultMessage: buildMessage(
        (prefix) =>
          `${prefix}$property must be text up to ${MAX_VALUE_LENGTH} characters, a number, ` +
          `a boolean, null or a list of up to ${MAX_CHOICES} choices`,
      ),
    },
  });
}

/** Property decorator: the value must be an event name (any well-formed one). */
function IsEventName(): PropertyDecorator {
  return ValidateBy({
    name: 'isEventName',
    validator: {
      validate: (value: unknown) => eventNameProblem(value) === undefined,
      defaultMessage: (args) => `type: ${eventNameProblem(args?.value) ?? 'not an event name'}`,
    },
  });
}

/** Property decorator: the value must be known event properties of fitting types and sizes. */
function AreEventProperties(): PropertyDecorator {
  return ValidateBy({
    name: 'areEventProperties',
    validator: {
      validate: (value: unknown) => eventPropertyProblems(value).length === 0,
      defaultMessage: (args) => eventPropertyProblems(args?.value).join('; '),
    },
  });
}

/** A form control's value typed in the browser, sent along with the next event. */
export class ValueDto {
  @ApiProperty({ pattern: ID_PATTERN.source, description: 'the control' })
  @Matches(ID_PATTERN, { message: 'id must be a component id' })
  id!: string;

  @ApiProperty(FORM_VALUE_SCHEMA)
  @IsFormValue()
  value!: FormValue;
}

/** An event from a tab: which component of which page, what happened, typed values. */
export class EventDto implements EventPayload {
  /** Unique per event, chosen by the tab: a retry with the same id is applied once. */
  @ApiPropertyOptional({
    pattern: ID_PATTERN.source,
    description: 'unique per event; a retry with the same id is applied once',
  })
  @IsOptional()
  @Matches(ID_PATTERN, { message: 'eventId must be 1-64 letters, digits, - or _' })
  eventId?: string;

  @ApiProperty({ pattern: ID_PATTERN.source })
  @Matches(ID_PATTERN, { message: 'pageId must be a page id' })
  pageId!: string;

  @ApiProperty({ pattern: ID_PATTERN.source, description: 'the component the event happened on' })
  @Matches(ID_PATTERN, { message: 'componentId must be a component id' })
  componentId!: string;

  /**
   * Any well-formed event name; whether the component listens to it is the dispatcher's
   * question (`not-listening`), not a malformed message.
   */
  @ApiProperty({
    example: 'click',
    pattern: EVENT_NAME_PATTERN.source,
    maxLength: MAX_EVENT_NAME_LENGTH,
    description:
      'any DOM or component event name (click, dblclick, row-click, update:model-value); ' +
      'one the component does not listen to is refused with 422 not-listening',
  })
  @IsEventName()
  type!: string;

  /** The new value of an `input`/`change` event. */
  @ApiPropertyOptional({
    ...FORM_VALUE_SCHEMA,
    description: `the new value, for input and change events: ${FORM_VALUE_SCHEMA.description}`,
  })
  @IsOptional()
  @IsFormValue()
  value?: FormValue;

  /** The key of a `keydown`/`keyup` event. */
  @ApiPropertyOptional({ maxLength: 64, description: 'the key, for keydown and keyup events' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  key?: string;

  /** The event properties the handler's binding asked for (`EVENT_PROPERTIES`). */
  @ApiPropertyOptional({
    ...EVENT_PROPERTIES_SCHEMA,
    example: { key: 'k', ctrlKey: true },
    description: 'event properties by name; the handler receives those its binding asked for',
  })
  @IsOptional()
  @AreEventProperties()
  event?: Record<string, JsonValue>;

  /** Values typed in the tab and not yet sent; applied before the handler runs. */
  @ApiPropertyOptional({
    type: () => [ValueDto],
    maxItems: 256,
    description: 'values typed and not yet sent, applied before the handler runs',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(256)
  @ValidateNested({ each: true })
  @Type(() => ValueDto)
  values?: ValueDto[];
}

const EVENT_FIELDS = new Set([
  'eventId',
  'pageId',
  'componentId',
  'type',
  'value',
  'key',
  'event',
  'values',
]);
const VALUE_FIELDS = new Set(['id', 'value']);

/** Refuses keys a DTO does not declare, `__proto__` and `constructor` included. */
function rejectUnknownKeys(body: object, allowed: Set<string>, where: string): void {
  for (const key of Object.keys(body)) {
    if (!allowed.has(key))
      throw new PushpageError(
        'bad-request',
        `invalid event: property ${where}${key} should not exist`,
      );
  }
}

/** Checks an incoming event; throws a `bad-request` error that names every problem. */
export function validateEvent(body: unknown): EventDto {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new PushpageError('bad-request', 'an event must be a JSON object');
  }
  checkPlainJson(body, 'event');
  rejectUnknownKeys(body, EVENT_FIELDS, '');
  const values: unknown = (body as { values?: unknown }).values;
  if (Array.isArray(values)) {
    values.forEach((v, i) => {
      if (typeof v === 'object' && v !== null) rejectUnknownKeys(v, VALUE_FIELDS, `values.${i}.`);
    });
  }
  const dto = plainToInstance(EventDto, body);
  const errors = validateSync(dto, { whitelist: true, forbidNonWhitelisted: true });
  if (errors.length > 0)
    throw new PushpageError(
      'bad-request',
      `invalid event: ${validationMessages(errors).join('; ')}`,
    );
  return dto;
}
