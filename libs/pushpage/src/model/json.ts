export type { JsonValue } from '../protocol';
