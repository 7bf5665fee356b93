/**
 * Apprise's Telegram URLs, both ways, so a setup moves between this extension and scripts:
 *
 *     tgram://<bot token>/<chat>[:<topic>]/<chat>…/?format=html&silent=yes&preview=no
 *
 * Chats are numeric ids or public names (`@` optional, as Apprise allows); `to=` adds chats and
 * `topic=` (alias `thread=`) gives a topic to chats without their own. The token keeps its
 * colon, as Apprise writes it. Reference: https://github.com/caronc/apprise/wiki/Notify_telegram
 *
 * Nothing thrown here repeats the URL or the token: a URL with a token is a secret.
 */
import { redact } from './redact';
import { parseToken, TokenFormatError } from './token';

export type AppriseFormat = 'text' | 'markdown' | 'html';

export interface AppriseTarget {
  chatId: number | string;
  topicId?: number;
}

export interface AppriseSetup {
  token: string;
  botId: string;
  /** Empty when the URL names no chat (Apprise then guesses one from recent updates). */
  targets: AppriseTarget[];
  format?: AppriseFormat;
  silent?: boolean;
  preview?: boolean;
  /** Apprise options with no counterpart here, by name (`image`, `detect`, `mdv`, …). */
  ignored: string[];
}

export class AppriseUrlError extends Error {
  override readonly name = 'AppriseUrlError';
}

const SHAPE = /^tgram:\/\/(?:bot)?(\d+)(?::|%3A)([^/?#]*)(\/[^?#]*)?(?:\?([^#]*))?(?:#.*)?$/i;
const TARGET = /^(?:(-?\d{1,16})|@?([A-Za-z][A-Za-z0-9_]{3,31}))(?::(\d+))?$/;
const TRUE_WORDS = new Set(['yes', 'y', 'true', '1', 'on', 'enable', 'enabled']);
const FALSE_WORDS = new Set(['no', 'n', 'false', '0', 'off', 'disable', 'disabled']);
const KNOWN = new Set(['format', 'silent', 'preview', 'to', 'topic', 'thread']);

export function parseAppriseUrl(input: string): AppriseSetup {
  const text = input.trim();
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(text)?.[1]?.toLowerCase();
  if (scheme !== 'tgram') throw new AppriseUrlError(schemeProblem(scheme));

  const match = SHAPE.exec(text);
  if (!match) {
    throw new AppriseUrlError(
      'The URL does not start with a bot token: expected tgram://123456789:AAE…/<chat id>.',
    );
  }
  const [, botId, secret, path = '', query = ''] = match;
  const token = tokenOf(botId, decode(secret));
  const params = new URLSearchParams(query);

  const targets = path.split('/').filter(Boolean).map(decode).map(parseTarget);
  for (const extra of params
    .getAll('to')
    .flatMap((v) => v.split(/[\s,]+/))
    .filter(Boolean)) {
    targets.push(parseTarget(extra));
  }
  const topic = params.get('topic') ?? params.get('thread');
  if (topic) {
    const topicId = positiveInteger(topic, 'topic');
    for (const target of targets) target.topicId ??= topicId;
  }

  const setup: AppriseSetup = { token, botId, targets, ignored: [] };
  const format = params.get('format');
  if (format) setup.format = formatOf(format);
  const silent = params.get('silent');
  if (silent) setup.silent = yesNo(silent, 'silent');
  const preview = params.get('preview');
  if (preview) setup.preview = yesNo(preview, 'preview');
  setup.ignored = [...new Set(params.keys())].filter((key) => !KNOWN.has(key));
  return setup;
}

/** The Apprise URL for a token and chats; options left undefined are left out. */
export function formatAppriseUrl(setup: Omit<AppriseSetup, 'botId' | 'ignored'>): string {
  const { token } = parseToken(setup.token);
  // Ids and @names hold only characters a URL path keeps as they are.
  const targets = setup.targets.map(({ chatId, topicId }) =>
    topicId ? `${chatId}:${topicId}` : String(chatId),
  );
  const params = new URLSearchParams();
  if (setup.format) params.set('format', setup.format);
  if (setup.silent !== undefined) params.set('silent', setup.silent ? 'yes' : 'no');
  if (setup.preview !== undefined) params.set('preview', setup.preview ? 'yes' : 'no');

  const path = targets.length ? `/${targets.join('/')}/` : '/';
  const query = params.toString() ? `?${params.toString()}` : '';
  return `tgram://${token}${path}${query}`;
}

function schemeProblem(scheme: string | undefined): string {
  if (scheme === 'telegram') {
    return (
      'That looks like a Shoutrrr URL (telegram://…). Apprise Telegram URLs start with ' +
      'tgram://, followed by the bot token and the chat ids.'
    );
  }
  return scheme
    ? `A ${scheme}:// URL is not an Apprise Telegram URL; those start with tgram://.`
    : 'An Apprise Telegram URL looks like tgram://123456789:AAE…/<chat id>.';
}

function tokenOf(botId: string, secret: string): string {
  try {
    return parseToken(`${botId}:${secret}`).token;
  } catch (err) {
    const why = err instanceof TokenFormatError ? err.message : 'it is malformed';
    throw new AppriseUrlError(`The bot token in the URL is not valid. ${why}`);
  }
}

function parseTarget(text: string): AppriseTarget {
  const match = TARGET.exec(text.trim());
  if (!match) {
    throw new AppriseUrlError(
      `"${redact(text)}" is not a chat: use a numeric id (groups are negative), a public @name, ` +
        'optionally with :<topic id>.',
    );
  }
  const [, id, name, topic] = match;
  const chatId = id !== undefined ? Number(id) : `@${name}`;
  if (chatId === 0) throw new AppriseUrlError('0 is not a chat id.');
  return topic ? { chatId, topicId: positiveInteger(topic, 'topic') } : { chatId };
}

function formatOf(value: string): AppriseFormat {
  const format = value.toLowerCase();
  if (format === 'text' || format === 'markdown' || format === 'html') return format;
  throw new AppriseUrlError(`format=${redact(value)} is not one of text, markdown or html.`);
}

function yesNo(value: string, name: string): boolean {
  const word = value.toLowerCase();
  if (TRUE_WORDS.has(word)) return true;
  if (FALSE_WORDS.has(word)) return false;
  throw new AppriseUrlError(`${name}=${redact(value)} is not yes or no.`);
}

function positiveInteger(value: string, name: string): number {
  // Digits only: Number() would also read `1e3` and `0x10` as topic ids.
  const n = /^\d{1,16}$/.test(value) ? Number(value) : NaN;
  if (!Number.isSafeInteger(n) || n <= 0) {
    throw new AppriseUrlError(
      `${name}=${redact(value)} is not a topic id (a positive whole number).`,
    );
  }
  return n;
}

function decode(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    throw new AppriseUrlError('The URL has a broken %-escape.');
  }
}
