import { plainToInstance } from 'class-transformer';
import { IsObject, IsOptional, Matches, validateSync } from 'class-validator';
import { PushpageError } from '../../errors';
import { checkPlainJson } from '../../engine/plain-json';
import { ID_PATTERN } from '../../protocol';

/** A tab asks to receive a page's patches, saying which versions it already has. */
export class JoinDto {
  @Matches(ID_PATTERN, { message: 'pageId must be a page id' })
  pageId!: string;

  /** Scope id → version the tab has; missing or different versions get a full page. */
  @IsOptional()
  @IsObject()
  versions?: Record<string, number>;

  /** The tab's id, kept by the browser across reloads of the tab: its `msg.storage.tab`. */
  @IsOptional()
  @Matches(ID_PATTERN, { message: 'tabId must be a tab id' })
  tabId?: string;
}

/** Checks a join message. */
export function validateJoin(body: unknown): JoinDto {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new PushpageError('bad-request', 'join needs a JSON object { pageId, versions, tabId? }');
  }
  checkPlainJson(body, 'join');
  const given = (body as { versions?: unknown }).versions;
  if (given !== undefined && (typeof given !== 'object' || given === null || Array.isArray(given)))
    throw new PushpageError('bad-request', 'invalid join: versions must map ids to whole numbers');
  const dto = plainToInstance(JoinDto, body);
  const errors = validateSync(dto, { whitelist: true, forbidNonWhitelisted: true });
  if (errors.length > 0) {
    throw new PushpageError(
      'bad-request',
      `invalid join: ${errors.map((e) => Object.values(e.constraints ?? {}).join(', ')).join('; ')}`,
    );
  }
  const versions = dto.versions ?? {};
  if (
    Object.keys(versions).length > 10_000 ||
    Object.values(versions).some((v) => !Number.isInteger(v) || v < 0)
  ) {
    throw new PushpageError('bad-request', 'invalid join: versions must map ids to whole numbers');
  }
  return dto;
}
