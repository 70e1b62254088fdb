import type { ValidationError } from 'class-validator';

/**
 * The messages of class-validator's errors, each naming where it is (`values.0.id: ...`);
 * a property the DTO does not declare reads `property values.0.x should not exist`. Each
 * message once, in order.
 */
export function validationMessages(errors: ValidationError[], path = ''): string[] {
  const messages = errors.flatMap((e) => {
    const at = path ? `${path}.${e.property}` : e.property;
    const own = Object.entries(e.constraints ?? {}).map(([constraint, m]) => {
      if (constraint === 'whitelistValidation') return `property ${at} should not exist`;
      return m.startsWith(e.property) ? `${path ? `${path}.` : ''}${m}` : `${at}: ${m}`;
    });
    return [...own, ...validationMessages(e.children ?? [], at)];
  });
  return [...new Set(messages)];
}
