import { PipeTransform, Type } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { PushpageError } from '../../errors';
import { checkPlainJson } from '../../engine/plain-json';
import { validationMessages } from '../../engine/validation-messages';

/**
 * Checks a JSON body against its DTO class, whose class-validator decorators are the API's
 * checks and whose `@ApiProperty` decorators document them: one source for both. Refuses
 * with `400 bad-request` naming every problem; answers the body as it came (validated).
 */
export class ApiBodyPipe<T extends object> implements PipeTransform<unknown, T> {
  /**
   * @param dto - the body's class
   * @param what - the body in messages (`event`), or `''` for messages without a prefix
   * @param shape - the body's shape, named when it is not a JSON object at all
   */
  constructor(
    private readonly dto: Type<T>,
    private readonly what: string,
    private readonly shape: string,
  ) {}

  transform(body: unknown): T {
    if (typeof body !== 'object' || body === null || Array.isArray(body))
      throw new PushpageError('bad-request', `the body must be a JSON object ${this.shape}`);
    checkPlainJson(body, this.what || 'body');
    const errors = validateSync(plainToInstance(this.dto, body), {
      whitelist: true,
      forbidNonWhitelisted: true,
    });
    if (errors.length > 0) {
      const problems = validationMessages(errors).join('; ');
      throw new PushpageError(
        'bad-request',
        this.what ? `invalid ${this.what}: ${problems}` : problems,
      );
    }
    return body as T;
  }
}
