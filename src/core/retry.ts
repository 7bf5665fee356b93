/**
 * What to do after a failed send: the retry policy as one pure function, so it can be read
 * in one place and tested with a fake clock.
 *
 * - 429: wait `parameters.retry_after`, capped (a wait of hours is more likely a proxy's or
 *   server's mistake than a plan; the waiting messages are merged meanwhile).
 * - network errors, timeouts, replies that are not the Bot API's, 5xx: back off
 *   exponentially with a cap.
 * - 400 with `migrate_to_chat_id`: follow the chat to its new id.
 * - 400 "can't parse entities": resend once as plain text.
 * - 401: the token is wrong or revoked; hold every message of that bot.
 * - 403, "chat not found", "message thread not found": hold the chat's messages until the
 *   user fixes the chat.
 * - any other 4xx: never retried; the message is dropped and logged.
 */
import { TelegramApiError, TelegramTransportError } from './errors';
import { classifyFailure, type FailureKind } from './explain';
import { isParseError } from './delivery';

export interface RetryPolicy {
  /** First back-off after a network-type failure. */
  baseDelayMs: number;
  /** Back-off never exceeds this. */
  maxDelayMs: number;
  /** A 429's `retry_after` is honoured up to this. */
  maxRetryAfterMs: number;
  /** A 429 asking for longer than this is told to the user. */
  longRetryAfterMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  baseDelayMs: 1_000,
  maxDelayMs: 5 * 60_000,
  maxRetryAfterMs: 10 * 60_000,
  longRetryAfterMs: 60_000,
};

export type RetryDecision =
  /** Try again after `delayMs`; `long` when the user should hear about the wait. */
  | { action: 'retry'; delayMs: number; condition: FailureKind; long: boolean }
  | { action: 'migrate'; newId: number }
  | { action: 'plain-text' }
  /** Keep the messages, send nothing to this chat (or bot) until the user acts. */
  | { action: 'hold'; scope: 'bot' | 'chat'; condition: FailureKind }
  /** The message can never be delivered as it is. */
  | { action: 'drop'; condition: FailureKind };

/**
 * @param failures consecutive failed attempts for this chat, counting this one (1 = first).
 * @param triedPlainText whether this message was already resent as plain text.
 */
export function decideRetry(
  err: unknown,
  failures: number,
  triedPlainText: boolean,
  policy: RetryPolicy = DEFAULT_RETRY_POLICY,
): RetryDecision {
  const condition = classifyFailure(err);
  if (err instanceof TelegramApiError) return decideApiError(err, failures, triedPlainText, policy);
  if (err instanceof TelegramTransportError && err.failure === 'aborted') {
    return { action: 'retry', delayMs: 0, condition, long: false };
  }
  return { action: 'retry', delayMs: backoff(failures, policy), condition, long: false };
}

function decideApiError(
  err: TelegramApiError,
  failures: number,
  triedPlainText: boolean,
  policy: RetryPolicy,
): RetryDecision {
  const condition = classifyFailure(err);
  const code = err.errorCode;
  if (code === 429) {
    // A broken server may send a retry_after that is not a number; wait a second then.
    const asked = Number(err.parameters.retry_after);
    const askedMs = Math.max(1, Number.isFinite(asked) ? asked : 1) * 1000;
    const delayMs = Math.min(askedMs, policy.maxRetryAfterMs);
    return { action: 'retry', delayMs, condition, long: askedMs > policy.longRetryAfterMs };
  }
  // 5xx, and a broken server's ok:false without a usable error code, may pass.
  if (code >= 500 || code < 400) {
    return { action: 'retry', delayMs: backoff(failures, policy), condition, long: false };
  }
  if (code === 400 && err.parameters.migrate_to_chat_id !== undefined) {
    return { action: 'migrate', newId: err.parameters.migrate_to_chat_id };
  }
  if (isParseError(err) && !triedPlainText) return { action: 'plain-text' };
  // A malformed token gets 404 from api.telegram.org: as good as a rejected one.
  if (code === 401 || code === 404)
    return { action: 'hold', scope: 'bot', condition: 'token-rejected' };
  if (
    ['bot-blocked', 'bot-not-member', 'not-started', 'chat-not-found', 'topic-not-found'].includes(
      condition,
    )
  ) {
    return { action: 'hold', scope: 'chat', condition };
  }
  return { action: 'drop', condition };
}

/** 1 s, 2 s, 4 s, … up to the cap. */
export function backoff(failures: number, policy: RetryPolicy = DEFAULT_RETRY_POLICY): number {
  const exponent = Math.min(Math.max(0, failures - 1), 30);
  return Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** exponent);
}
