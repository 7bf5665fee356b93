/**
 * Removes bot tokens from text before it leaves the process (logs, errors, notifications).
 *
 * A Bot API token is `<bot id>:<secret>`; the bot id alone is harmless and useful when
 * reading a log, so it is kept and only the secret part is masked.
 */

// Anything shaped like a token: also glued to the `bot` prefix of a Bot API URL path, with
// the colon %-encoded (as in an Apprise URL), or glued to further tokens (each later
// `:secret` run is taken into the same match). The id must not continue a longer digit run
// and is at most 20 digits, and the secret's class excludes both separators, so the pattern
// never backtracks over long input: a 200 000-digit reply is scanned in linear time.
const TOKEN_SHAPE =
  /(?<![0-9])(\d{3,20})(:|%3A)[A-Za-z0-9_-]{20,}(?:(?::|%3A)[A-Za-z0-9_-]{20,})*/gi;

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
  return out.replace(TOKEN_SHAPE, maskChain);
}

/** @BotFather's secrets are 35 characters; what follows in a glued run is the next bot id. */
const SECRET_LENGTH = 35;

/**
 * Masks every secret of a matched run of one or more glued tokens, keeping the bot ids:
 * `1:AAA…2:BBB…` becomes `1:***2:***` (what stood between a secret and the next id goes).
 */
function maskChain(run: string): string {
  const parts = run.split(/(:|%3A)/i);
  let out = parts[0];
  for (let i = 1; i < parts.length; i += 2) {
    const segment = parts[i + 1];
    const beyond = i + 2 < parts.length ? segment.slice(SECRET_LENGTH) : '';
    out += parts[i] + MASK + (/(?<![0-9])\d{3,20}$/.exec(beyond)?.[0] ?? '');
  }
  return out;
}

/** Redacts an unknown thrown value into a one-line description. */
export function describeError(err: unknown, secrets: Iterable<string> = []): string {
  if (err instanceof Error) {
    const cause = err.cause instanceof Error ? ` (${err.cause.message})` : '';
    return redact(`${err.message}${cause}`, secrets);
  }
  return redact(String(err), secrets);
}
