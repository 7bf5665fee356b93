/**
 * The messages not yet delivered, as plain data that can be written to disk and read back
 * by another window or a later session. The delivery queue keeps them in memory and hands a
 * snapshot to an {@link OutboxStore} after every change; the store decides when to write.
 */
import { type PinnedChat, normalizeChatId } from './chats';
import type { OutgoingMessage } from './delivery';
import type { Logger } from './log';

export interface QueuedMessage {
  /** Unique across windows and sessions; a message is sent at most once per id. */
  id: string;
  chat: PinnedChat;
  message: OutgoingMessage;
  /** Epoch ms when it was queued. */
  queuedAt: number;
  /**
   * The chat id it was queued for, once it followed that chat to a supergroup. A message
   * follows at most one such move; Telegram naming yet another id is a loop, not followed.
   */
  migratedFrom?: number | string;
}

/** Where the queue keeps its messages between sessions. */
export interface OutboxStore {
  /**
   * Called after every change with every message still to be delivered. Must not block:
   * a store batches the writes (a burst of 200 notifications is not 200 file writes).
   */
  save(messages: readonly QueuedMessage[]): void;
}

/** A store that keeps the last snapshot in memory, for tests and as a fallback. */
export class MemoryOutbox implements OutboxStore {
  snapshot: QueuedMessage[] = [];
  saves = 0;

  save(messages: readonly QueuedMessage[]): void {
    this.snapshot = messages.map((m) => ({ ...m }));
    this.saves += 1;
  }
}

/**
 * Reads a stored list back, keeping only well-formed messages: a string id, a chat id as
 * `normalizeChatId` accepts it, non-empty text, a known parse mode (or none) and a numeric
 * queue time. Entries that fail are dropped, and `log` is told how many.
 */
export function parseOutbox(raw: unknown, log?: Logger): QueuedMessage[] {
  if (!Array.isArray(raw)) return [];
  const kept = raw.flatMap((entry: unknown) => {
    const message = toQueuedMessage(entry);
    return message ? [message] : [];
  });
  const dropped = raw.length - kept.length;
  if (dropped > 0) log?.warn(`Dropped ${dropped} malformed message(s) from a stored outbox.`);
  return kept;
}

function toQueuedMessage(entry: unknown): QueuedMessage | undefined {
  if (!isRecord(entry) || !isRecord(entry.chat) || !isRecord(entry.message)) return undefined;
  const { id, chat, message, queuedAt, migratedFrom } = entry;
  const chatId = normalizeChatId(chat.id);
  const { text, parseMode } = message;
  if (typeof id !== 'string' || chatId === undefined || typeof queuedAt !== 'number') {
    return undefined;
  }
  if (typeof text !== 'string' || text.length === 0) return undefined;
  if (parseMode !== undefined && parseMode !== 'HTML' && parseMode !== 'MarkdownV2') {
    return undefined;
  }

  const item = { ...entry, chat: { ...chat, id: chatId } } as unknown as QueuedMessage;
  if (migratedFrom !== undefined && normalizeChatId(migratedFrom) === undefined) {
    delete item.migratedFrom;
  }
  return item;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
