import { badRequest } from './errors';
import { type FormattedText, ParseError } from './parse-common';
import { parseHtml } from './parse-html';
import { parseMarkdownLegacy, parseMarkdownV2 } from './parse-markdown';

export type { FormattedText } from './parse-common';

/** Telegram's limit on a text message, counted after entity parsing. */
export const MAX_MESSAGE_LENGTH = 4096;

export interface ParseOptions {
  /** Refuse an `&` that starts no entity (see {@link parseHtml}). */
  strictAmpersand: boolean;
}

/**
 * The first half of checking a message text, done before the chat is looked at (as the Bot
 * API does): empty input, an unknown parse mode, and markup errors, each as the ApiError
 * Telegram would answer.
 */
export function parseMessageText(
  raw: unknown,
  parseMode: unknown,
  options: ParseOptions,
): FormattedText {
  const text = raw === undefined || raw === null ? '' : String(raw);
  if (text === '') throw badRequest('message text is empty');

  const mode = parseMode === undefined || parseMode === null ? '' : String(parseMode);
  try {
    switch (mode.toLowerCase()) {
      case '':
        return { text, entities: [] };
      case 'html':
        return parseHtml(text, options.strictAmpersand);
      case 'markdownv2':
        return parseMarkdownV2(text);
      case 'markdown':
        return parseMarkdownLegacy(text);
      default:
        throw badRequest('unsupported parse_mode');
    }
  } catch (error) {
    if (error instanceof ParseError) throw badRequest(`can't parse entities: ${error.message}`);
    throw error;
  }
}

/**
 * The second half, done when the message is about to be sent: Telegram trims surrounding
 * whitespace, refuses what is left empty, and measures the length of the parsed text (in
 * UTF-16 code units here; the exact unit Telegram counts is not documented, and this is the
 * stricter reading for astral characters).
 */
export function finishMessageText(parsed: FormattedText): FormattedText {
  const lead = parsed.text.length - parsed.text.trimStart().length;
  const text = parsed.text.trim();
  if (text === '') throw badRequest('message text is empty');
  if (text.length > MAX_MESSAGE_LENGTH) throw badRequest('message is too long');

  const entities = parsed.entities.flatMap((entity) => {
    const start = Math.max(0, entity.offset - lead);
    const end = Math.min(text.length, entity.offset - lead + entity.length);
    return end > start ? [{ ...entity, offset: start, length: end - start }] : [];
  });
  return { text, entities };
}
