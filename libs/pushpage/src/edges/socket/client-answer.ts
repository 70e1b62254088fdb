import { ClientAnswer, JsonValue } from '../../protocol';

/** The longest error code and message a tab's answer may carry. */
const MAX_CODE = 40;
const MAX_MESSAGE = 500;

function notAnAnswer(): ClientAnswer {
  return { ok: false, error: { code: 'failed', message: 'the tab answered with something else' } };
}

/**
 * A tab's answer to an `ask`, checked: the tab is not trusted to send the shape it should.
 * The value is JSON already (it came as JSON); a refusal's text is cut to a sane length.
 */
export function answerOf(raw: unknown): ClientAnswer {
  if (typeof raw !== 'object' || raw === null) return notAnAnswer();
  const answer = raw as { ok?: unknown; value?: unknown; error?: unknown };
  if (answer.ok === true) return { ok: true, value: (answer.value ?? null) as JsonValue };
  if (answer.ok !== false || typeof answer.error !== 'object' || answer.error === null)
    return notAnAnswer();
  const { code, message } = answer.error as { code?: unknown; message?: unknown };
  if (typeof code !== 'string' || typeof message !== 'string') return notAnAnswer();
  return {
    ok: false,
    error: { code: code.slice(0, MAX_CODE), message: message.slice(0, MAX_MESSAGE) },
  };
}
