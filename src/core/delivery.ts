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
import type { Message, ParseMode } from './telegram-types';

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
    if (err.errorCode === 400 && newId !== undefined) {
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
        text: toPlainText(message.text),
        parseMode: undefined,
      });
    }
    throw err;
  }
}

function sendOnce(client: BotApiClient, chat: PinnedChat, message: OutgoingMessage) {
  return client.sendMessage({
    chat_id: chat.id,
    text: message.text,
    ...(message.parseMode ? { parse_mode: message.parseMode } : {}),
    ...(chat.topicId ? { message_thread_id: chat.topicId } : {}),
    ...(message.silent ? { disable_notification: true } : {}),
    link_preview_options: { is_disabled: true },
  });
}

export function isParseError(err: TelegramApiError): boolean {
  return err.errorCode === 400 && /can't parse entities/i.test(err.description);
}

/** Strips HTML tags and decodes the entities our renderer produces. */
export function toPlainText(html: string): string {
  return html
    .replace(/<[^>]*>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&');
}
