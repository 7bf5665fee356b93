/**
 * Sends one rendered message to one pinned chat at once, handling the answers that have a
 * known remedy: a group upgraded to a supergroup, and text Telegram cannot parse. Used for
 * the test message, whose result the user waits for; notifications go through the
 * {@link DeliveryQueue} of `queue.ts`, which retries and persists.
 */
import type { BotApiClient } from './bot-api';
import type { PinnedChat } from './chats';
import { TelegramApiError } from './errors';
import type { Logger } from './log';
import type { Message, ParseMode, SendMessageParams } from './telegram-types';

export interface OutgoingMessage {
  text: string;
  parseMode?: ParseMode;
  /** Deliver without sound (Telegram's `disable_notification`). */
  silent?: boolean;
  /**
   * One line, in the same parse mode, that stands for the message in a digest (the verdict
   * line of a run). Without it a digest uses the first line of `text`.
   */
  summary?: string;
}

export interface DeliveryHooks {
  /** The chat moved (group to supergroup); the caller persists the new id. */
  onChatMigrated?(chat: PinnedChat, newId: number): void | Promise<void>;
}

export async function sendToChat(
  client: BotApiClient,
  chat: PinnedChat,
  message: OutgoingMessage,
  log: Logger,
  hooks: DeliveryHooks = {},
): Promise<Message> {
  try {
    return await sendOnce(client, chat, message);
  } catch (err) {
    if (!(err instanceof TelegramApiError)) throw err;

    const newId = err.parameters.migrate_to_chat_id;
    if (err.errorCode === 400 && newId !== undefined && newId !== chat.id) {
      log.warn(`Chat ${chat.id} became supergroup ${newId}; sending there and updating the pin.`);
      await hooks.onChatMigrated?.(chat, newId);
      return sendOnce(client, { ...chat, id: newId }, message);
    }

    if (isParseError(err) && message.parseMode) {
      log.warn(
        `Telegram could not parse the message (${err.description}); resending as plain text.`,
      );
      return sendOnce(client, chat, {
        ...message,
        text: toPlainText(message.text, message.parseMode),
        parseMode: undefined,
      });
    }
    throw err;
  }
}

function sendOnce(client: BotApiClient, chat: PinnedChat, message: OutgoingMessage) {
  return client.sendMessage(sendParams(chat, message));
}

/** The sendMessage parameters for one message to one pinned chat; link previews stay off. */
export function sendParams(chat: PinnedChat, message: OutgoingMessage): SendMessageParams {
  return {
    chat_id: chat.id,
    text: message.text,
    ...(message.parseMode ? { parse_mode: message.parseMode } : {}),
    ...(chat.topicId ? { message_thread_id: chat.topicId } : {}),
    ...(message.silent ? { disable_notification: true } : {}),
    link_preview_options: { is_disabled: true },
  };
}

export function isParseError(err: TelegramApiError): boolean {
  return err.errorCode === 400 && /can't parse entities/i.test(err.description);
}

/**
 * The text a reader should see once the markup is gone: what is resent when Telegram cannot
 * parse a message. HTML loses its tags and has its entities decoded (the four named ones and
 * numeric ones, the only ones the Bot API accepts: "Formatting options", HTML style);
 * MarkdownV2 loses its escapes and entity markers; plain text is returned as it is.
 */
export function toPlainText(text: string, parseMode: ParseMode | undefined): string {
  if (parseMode === 'HTML') return htmlToPlain(text);
  if (parseMode === 'MarkdownV2') return markdownV2ToPlain(text);
  return text;
}

const NAMED_ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"' };

function htmlToPlain(html: string): string {
  return html
    .replace(/<[^>]*>/g, '')
    .replace(/&(lt|gt|amp|quot|#\d+|#x[\da-f]+);/gi, (whole, name: string) => {
      const lower = name.toLowerCase();
      if (!lower.startsWith('#')) return NAMED_ENTITIES[lower];
      const code = lower.startsWith('#x') ? parseInt(lower.slice(2), 16) : Number(lower.slice(1));
      return code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    });
}

/**
 * MarkdownV2 without its markup: `\x` becomes `x`; the markers of bold, italic, underline,
 * strikethrough, spoiler, code, pre (with its language) and block quotes are dropped; a link
 * or custom emoji keeps its text and loses its URL. A message that failed to parse may use a
 * marker character as text (an unescaped `_` in a path); it is dropped too, since which ones
 * were meant as text cannot be told.
 */
function markdownV2ToPlain(source: string): string {
  let out = '';
  let code: '' | '`' | '```' = '';
  let i = 0;
  while (i < source.length) {
    const ch = source[i];
    if (ch === '\\' && i + 1 < source.length) {
      out += source[i + 1];
      i += 2;
    } else if (source.startsWith('```', i) && code !== '`') {
      i += 3;
      if (code === '') i = skipLanguage(source, i);
      code = code === '' ? '```' : '';
    } else if (ch === '`' && code !== '```') {
      code = code === '' ? '`' : '';
      i += 1;
    } else if (code !== '') {
      out += ch;
      i += 1;
    } else if (ch === ']' && source[i + 1] === '(') {
      i = skipUrl(source, i + 2);
    } else if ('*_~|[]'.includes(ch) || (ch === '!' && source[i + 1] === '[')) {
      i += 1;
    } else if (ch === '>' && /^\**$/.test(source.slice(source.lastIndexOf('\n', i - 1) + 1, i))) {
      i += 1;
    } else {
      out += ch;
      i += 1;
    }
  }
  return out;
}

/** After an opening ```: skips a language name and the line break that ends it. */
function skipLanguage(source: string, at: number): number {
  const end = source.indexOf('\n', at);
  if (end < 0) return at;
  return /^[\w+#.-]*$/.test(source.slice(at, end)) ? end + 1 : at;
}

/** Skips a link's `(url)`, whose `)` and `\` are escaped inside; returns the index after it. */
function skipUrl(source: string, at: number): number {
  let i = at;
  while (i < source.length && source[i] !== ')') i += source[i] === '\\' ? 2 : 1;
  return i + 1;
}
