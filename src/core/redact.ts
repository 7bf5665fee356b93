/**
 * Removes bot tokens from text before it leaves the process (logs, errors, notifications).
 *
 * A Bot API token is `<bot id>:<secret>`; the bot id alone is harmless and useful when
 * reading a log, so it is kept and only the secret part is masked.
 */

// Anything shaped like a token: also glued to the `bot` prefix of a Bot API URL path, with
// the colon %-encoded (as in an Apprise URL), or glued to a second token (the secret then
// ends where the next token's id begins).
const TOKEN_SHAPE =
  /(\d{3,})(:|%3A)[A-Za-z0-9_-]{20,}?(?=\d{3,}(?::|%3A)[A-Za-z0-9_-]{20}|[^A-Za-z0-9_-]|$)/gi;

/** The mask that replaces a token's secret part. */
export const MASK = '***';

/**
 * Returns `text` with every token-shaped substring and every given secret masked.
 * Exact secrets are removed too, in case one is malformed enough to miss the shape.
 */
export function redact(text: string, secrets: Iterable<string> = []): string {
  let out = text;
  for (const secret of secrets) {
    if (secret.length >= 8) out = out.split(secret).join(MASK);
  }
  return out.replace(TOKEN_SHAPE, (_match, id: string, colon: string) => `${id}${colon}${MASK}`);
}

/** Redacts an unknown thrown value into a one-line description. */
export function describeError(err: unknown, secrets: Iterable<string> = []): string {
  if (err instanceof Error) {
    const cause = err.cause instanceof Error ? ` (${err.cause.message})` : '';
    return redact(`${err.message}${cause}`, secrets);
  }
  return redact(String(err), secrets);
}
