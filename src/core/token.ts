/**
 * Bot token parsing: what a person pastes is often not exactly a token.
 *
 * Telegram's @BotFather hands out tokens of the form `123456789:AAE...` (a numeric bot id,
 * a colon, and a 35-character secret of letters, digits, `_` and `-`).
 */

export interface ParsedToken {
  /** The token, cleaned of spaces and prefixes. */
  readonly token: string;
  /** The bot's numeric id: the part before the colon, safe to show and log. */
  readonly botId: string;
}

export type TokenProblem =
  | 'empty'
  | 'other-service'
  | 'missing-colon'
  | 'bad-bot-id'
  | 'bad-secret-length'
  | 'bad-characters';

/** Keys of other services that get pasted by mistake, by their well-known prefixes. */
const OTHER_SERVICES: ReadonlyArray<[RegExp, string]> = [
  [/^xox[abposr]-/, 'a Slack token'],
  [/^https?:\/\/(?:[\w-]+\.)?(?:discord(?:app)?\.com)\/api\/webhooks\//i, 'a Discord webhook URL'],
  [/^https?:\/\/hooks\.slack\.com\//i, 'a Slack webhook URL'],
  [/^(?:ghp|gho|ghu|ghs|ghr|github_pat)_/, 'a GitHub token'],
  [/^sk-/, 'an API key of another service (sk-…)'],
  [/^AKIA[0-9A-Z]{16}$/, 'an AWS access key'],
  [/^glpat-/, 'a GitLab token'],
];

export class TokenFormatError extends Error {
  constructor(
    readonly problem: TokenProblem,
    message: string,
  ) {
    super(message);
    this.name = 'TokenFormatError';
  }
}

const SECRET_LENGTH = 35;

/**
 * Cleans and checks a pasted token. Accepts surrounding or inner whitespace, quotes, a
 * `bot` prefix (as in Bot API URLs) and a whole `https://api.telegram.org/bot<token>/…` URL.
 * Throws {@link TokenFormatError} with a message in the user's terms; the message never
 * repeats the input, since the input may be a real secret.
 */
export function parseToken(input: string): ParsedToken {
  let text = input.replace(/\s+/g, '').replace(/^["'`]+|["'`]+$/g, '');
  const inUrl = /\/bot(\d+:[^/?#]+)/.exec(text);
  if (inUrl) text = inUrl[1];
  text = text.replace(/^bot(?=\d)/i, '');

  if (text === '') {
    throw new TokenFormatError(
      'empty',
      'The bot token is empty. Paste the token @BotFather gave you.',
    );
  }
  const other = OTHER_SERVICES.find(([prefix]) => prefix.test(text));
  if (other) {
    throw new TokenFormatError(
      'other-service',
      `That looks like ${other[1]}, not a Telegram bot token. A bot token comes from ` +
        '@BotFather and looks like 123456789:AAE… (digits, a colon, then 35 characters).',
    );
  }
  const colon = text.indexOf(':');
  if (colon < 0) {
    throw new TokenFormatError(
      'missing-colon',
      'That is not a Telegram bot token: it has no colon. A token looks like ' +
        '123456789:AAE… (digits, a colon, then 35 letters, digits, _ or -).',
    );
  }
  const botId = text.slice(0, colon);
  const secret = text.slice(colon + 1);
  if (!/^\d{1,20}$/.test(botId)) {
    throw new TokenFormatError(
      'bad-bot-id',
      "That is not a Telegram bot token: the part before the colon must be the bot's number.",
    );
  }
  if (!/^[A-Za-z0-9_-]*$/.test(secret)) {
    throw new TokenFormatError(
      'bad-characters',
      'That is not a Telegram bot token: after the colon only letters, digits, _ and - may appear.',
    );
  }
  if (secret.length !== SECRET_LENGTH) {
    throw new TokenFormatError(
      'bad-secret-length',
      `That token looks cut short or too long: after the colon a token has ${SECRET_LENGTH} ` +
        `characters, this one has ${secret.length}. Copy it again from @BotFather.`,
    );
  }
  return { token: `${botId}:${secret}`, botId };
}

/** The bot id of a token without validating the rest; undefined when there is none. */
export function botIdOf(token: string): string | undefined {
  return /^(\d+):/.exec(token)?.[1];
}
