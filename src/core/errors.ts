/**
 * The two ways a Bot API call fails, made at one boundary (the client) so callers can match
 * on them. Neither carries the request URL: for Telegram the URL holds the token.
 */
import type { ResponseParameters } from './telegram-types';

/** Telegram answered, and the answer was `ok: false`. */
export class TelegramApiError extends Error {
  override readonly name = 'TelegramApiError';

  constructor(
    readonly method: string,
    readonly errorCode: number,
    readonly description: string,
    readonly parameters: ResponseParameters = {},
  ) {
    super(`Telegram refused ${method}: ${errorCode} ${description}`);
  }
}

export type TransportFailure =
  /** No connection could be made, or it broke before a full reply. */
  | 'network'
  /** No reply within the time limit. */
  | 'timeout'
  /** A reply came, but not a Bot API one (a proxy's HTML error page, a cut-off body). */
  | 'bad-reply'
  /** The caller cancelled. */
  | 'aborted';

/** The request never produced a Bot API answer. */
export class TelegramTransportError extends Error {
  override readonly name = 'TelegramTransportError';

  constructor(
    readonly method: string,
    readonly failure: TransportFailure,
    detail: string,
    /** The HTTP status when a reply came but was not a Bot API answer. */
    readonly status?: number,
  ) {
    super(`${method} did not complete (${failure}): ${detail}`);
  }
}
