/**
 * Escaping for Telegram's parse modes, and the text clean-up every mode needs. Each function
 * takes text that came from the user's machine and returns markup that shows it literally.
 * https://core.telegram.org/bots/api#formatting-options
 */
import ansiRegex from 'ansi-regex';

/** The message formats a user can choose; `markdown` means MarkdownV2, as in Apprise. */
export type MessageFormat = 'html' | 'markdown' | 'text';

/** HTML style: `<`, `>` and `&` must be entities; `"` too, so a value is safe in an attribute. */
export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}

/** MarkdownV2 style: every one of `_*[]()~`>#+-=|{}.!` and `\` takes a preceding `\`. */
export function escapeMarkdownV2(text: string): string {
  return text.replace(/[_*[\]()~`>#+\-=|{}.!\\]/g, '\\$&');
}

/** MarkdownV2 inside `pre` and `code`: only `` ` `` and `\` are escaped. */
export function escapeMarkdownV2Code(text: string): string {
  return text.replace(/[`\\]/g, '\\$&');
}

/** Escapes a value for the given format; plain text needs no escaping. */
export function escapeFor(format: MessageFormat, text: string): string {
  if (format === 'html') return escapeHtml(text);
  if (format === 'markdown') return escapeMarkdownV2(text);
  return text;
}

/**
 * Makes text safe to send at all: a lone surrogate (half an emoji, left by a cut elsewhere)
 * becomes U+FFFD, since Telegram refuses text that is not valid UTF-8; `\r\n` and lone `\r`
 * become `\n`; NUL and other C0 controls except tab and newline are dropped.
 */
export function sanitizeText(text: string): string {
  return text
    .replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD')
    .replace(/\r\n?/g, '\n')
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g, '');
}

/**
 * Shortens text to at most `max` UTF-16 units, keeping its start and ending in `…`, never
 * halving a surrogate pair. Used for names and paths, whose start says the most.
 */
export function keepHead(text: string, max: number): string {
  if (text.length <= max) return text;
  if (max <= 1) return '…'.slice(0, Math.max(0, max));
  let end = max - 1;
  if (isLowSurrogate(text.charCodeAt(end))) end -= 1;
  return `${text.slice(0, end)}…`;
}

/**
 * Keeps the end of text within `max` UTF-16 units, starting at a whole line when that loses
 * little, and marks the cut with a leading `…` line. Used for output, whose end says the most.
 */
export function keepTail(text: string, max: number): string {
  if (text.length <= max) return text;
  const marker = '…\n';
  if (max <= marker.length) return '';

  let start = text.length - (max - marker.length);
  if (isLowSurrogate(text.charCodeAt(start))) start += 1;
  const lineStart = text.indexOf('\n', start);
  // Prefer starting at a whole line when that loses little.
  if (lineStart >= 0 && lineStart - start < 200 && lineStart + 1 < text.length) {
    start = lineStart + 1;
  }
  return `${marker}${text.slice(start)}`;
}

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}

/** CSI (colours, cursor) and OSC (titles, shell-integration marks) sequences. */
const TERMINAL_CONTROL = ansiRegex();

/**
 * What a person would read in the terminal from its raw data: escape sequences removed, and
 * of a line redrawn with `\r` (progress bars) only its last state.
 */
export function plainTerminalText(raw: string): string {
  return raw
    .replace(TERMINAL_CONTROL, '')
    .split('\n')
    .map((line) => line.replace(/\r+$/, '').split('\r').at(-1) ?? '')
    .join('\n');
}
