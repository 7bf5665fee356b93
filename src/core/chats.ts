/**
 * Pinned chats as they are stored in the `telegramNotifier.chats` setting: plain data a
 * person can read and edit.
 */
import type { ChatType } from './telegram-types';

export interface PinnedChat {
  /** A numeric chat id (negative for groups and channels) or a public `@channelname`. */
  id: number | string;
  title?: string;
  type?: ChatType;
  /** The forum topic (`message_thread_id`) to post in; absent for the General topic. */
  topicId?: number;
  /** The numeric id of the bot that sends to this chat; absent means the default bot. */
  botId?: string;
}

/**
 * Reads the setting's raw value, dropping entries that cannot be a chat, and reports each
 * dropped entry so the user can fix it.
 */
export function parsePinnedChats(raw: unknown): { chats: PinnedChat[]; problems: string[] } {
  const chats: PinnedChat[] = [];
  const problems: string[] = [];
  if (!Array.isArray(raw)) return { chats, problems: raw == null ? [] : ['not a list'] };

  raw.forEach((entry, index) => {
    const chat = toPinnedChat(entry);
    if (chat) chats.push(chat);
    else problems.push(`entry ${index + 1} has no valid "id" (a number or an @channelname)`);
  });
  return { chats, problems };
}

function toPinnedChat(entry: unknown): PinnedChat | undefined {
  if (typeof entry === 'number' || typeof entry === 'string') return toPinnedChat({ id: entry });
  if (!entry || typeof entry !== 'object') return undefined;
  const e = entry as Record<string, unknown>;
  const id = normalizeChatId(e.id);
  if (id === undefined) return undefined;

  const chat: PinnedChat = { id };
  if (typeof e.title === 'string') chat.title = e.title;
  if (typeof e.type === 'string') chat.type = e.type as PinnedChat['type'];
  if (Number.isSafeInteger(e.topicId) && (e.topicId as number) > 0)
    chat.topicId = e.topicId as number;
  if (typeof e.botId === 'string' && /^\d+$/.test(e.botId)) chat.botId = e.botId;
  return chat;
}

/** A chat id from a number or a numeric string; `@name` stays a string. */
export function normalizeChatId(value: unknown): number | string | undefined {
  if (typeof value === 'number' && Number.isSafeInteger(value) && value !== 0) return value;
  if (typeof value !== 'string') return undefined;
  const text = value.trim();
  if (/^-?\d{1,16}$/.test(text) && Number(text) !== 0) return Number(text);
  if (/^@[A-Za-z][A-Za-z0-9_]{3,31}$/.test(text)) return text;
  return undefined;
}

export function describeChat(chat: PinnedChat): string {
  const name = chat.title ? `${chat.title} (${chat.id})` : String(chat.id);
  return chat.topicId ? `${name}, topic ${chat.topicId}` : name;
}
