import type { ApiPropertyOptions } from '@nestjs/swagger';
import {
  EVENT_PROPERTIES,
  EventPropertyKind,
  MAX_EVENT_ARGS_CHARS,
  MAX_EVENT_ARGS_DEPTH,
  MAX_EVENT_KEY_LENGTH,
  MAX_TARGET_VALUE_LENGTH,
} from '../event-wire';

/** The most characters of a text form value. */
export const MAX_VALUE_LENGTH = 512 * 1024;
/** The most choices in a list form value. */
export const MAX_CHOICES = 1000;
/** The most characters of one text choice. */
export const MAX_CHOICE_LENGTH = 4096;

/**
 * The OpenAPI (3.0) schema of a form value, as `isFormValue` checks it; `null` rides on the
 * text branch, as 3.0 has no null type and wants `nullable` beside a `type`.
 */
export const FORM_VALUE_SCHEMA = {
  description:
    'what the control holds: text for inputs, true/false for a checkbox, radio or toggle, a ' +
    'number for a slider, a list of choices for a multiple select or a table selection, null ' +
    'for nothing chosen',
  oneOf: [
    { type: 'string', maxLength: MAX_VALUE_LENGTH, nullable: true },
    { type: 'number' },
    { type: 'boolean' },
    {
      type: 'array',
      maxItems: MAX_CHOICES,
      items: { oneOf: [{ type: 'string', maxLength: MAX_CHOICE_LENGTH }, { type: 'number' }] },
    },
  ],
} satisfies ApiPropertyOptions;

const KIND_SCHEMAS = {
  key: { type: 'string', maxLength: MAX_EVENT_KEY_LENGTH },
  text: { type: 'string', maxLength: MAX_TARGET_VALUE_LENGTH },
  boolean: { type: 'boolean' },
  number: { type: 'number' },
  arguments: {
    type: 'array',
    items: {},
    description:
      `JSON values, at most ${MAX_EVENT_ARGS_CHARS} characters as JSON, nested at most ` +
      `${MAX_EVENT_ARGS_DEPTH} deep`,
  },
} satisfies Record<EventPropertyKind, ApiPropertyOptions>;

/** The OpenAPI schema of an event's `event` field: the event properties, by name and kind. */
export const EVENT_PROPERTIES_SCHEMA: ApiPropertyOptions = {
  type: 'object',
  additionalProperties: false,
  properties: Object.fromEntries(
    Object.entries(EVENT_PROPERTIES).map(([name, kind]) => [name, KIND_SCHEMAS[kind]]),
  ),
};
