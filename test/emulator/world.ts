import type { ChatType, MemberStatus, TgChat, TgMessage, TgUser } from './types';
import type { UpdateQueue } from './updates';

/** A bot token: numeric id, colon, 35 characters of `[A-Za-z0-9_-]` (as BotFather issues). */
export const TOKEN_PATTERN = /^(\d{1,20}):[A-Za-z0-9_-]{35}$/;

/** The bot Telegram shows as the sender of anonymous admins' and upgrade messages. */
export const GROUP_ANONYMOUS_BOT: TgUser = {
  id: 1087968824,
  is_bot: true,
  first_name: 'Group',
  username: 'GroupAnonymousBot',
};

export interface TopicRecord {
  threadId: number;
  name: string;
  /** The `forum_topic_created` service message; topic messages reply to it. */
  created: TgMessage;
}

export interface ChatRecord {
  id: number;
  type: ChatType;
  title?: string;
  username?: string;
  /** Set for private chats: the user on the other side. */
  user?: TgUser;
  isForum: boolean;
  topics: Map<number, TopicRecord>;
  /** A basic group that was upgraded: sends to it answer 400 with this id. */
  migratedTo?: number;
  nextMessageId: number;
}

export interface BotRecord {
  id: number;
  token: string;
  user: TgUser;
  /** With privacy mode on, the bot sees in groups only commands and service messages. */
  privacyMode: boolean;
  revoked: boolean;
  memberships: Map<number, MemberStatus>;
  /** Users who pressed Start (or otherwise wrote to the bot). */
  started: Set<number>;
  blockedBy: Set<number>;
  /** Users the bot has seen in an update; only those it can look up or write to. */
  knownUsers: Set<number>;
  /** Private chats number their messages per account, so per bot here. */
  privateMessageIds: Map<number, number>;
  queue: UpdateQueue;
  webhook?: WebhookState;
}

export interface WebhookState {
  url: string;
  maxConnections: number;
}

/** A user, chat or bot given as an object with an id, an id, or (chats only) `@username`. */
export type UserRef = number | { id: number };
export type ChatRef = number | string | { id: number };

/**
 * Who and what exists: users, chats with their topics, bots and their memberships. Holds
 * state only; the rules for talking to it live in the method and actor modules.
 */
export class World {
  readonly users = new Map<number, TgUser>();
  readonly chats = new Map<number, ChatRecord>();
  readonly bots = new Map<string, BotRecord>();
  private nextIds = { user: 100_000_001, group: 4_000_000_001, channel: 1_001_500_000_001 };

  allocateUserId(): number {
    return this.nextIds.user++;
  }

  /** Basic groups have small negative ids; supergroups and channels -100 followed by more. */
  allocateChatId(type: 'group' | 'supergroup' | 'channel'): number {
    if (type === 'group') return -this.nextIds.group++;
    return -this.nextIds.channel++;
  }

  addChat(record: Omit<ChatRecord, 'topics' | 'nextMessageId'>): ChatRecord {
    if (this.chats.has(record.id)) throw new Error(`chat ${record.id} already exists`);
    const chat: ChatRecord = { ...record, topics: new Map(), nextMessageId: 1 };
    this.chats.set(chat.id, chat);
    return chat;
  }

  user(ref: UserRef): TgUser {
    const id = typeof ref === 'number' ? ref : ref.id;
    const user = this.users.get(id);
    if (user === undefined) throw new Error(`no user ${id} in the emulator`);
    return user;
  }

  /** Finds a chat by id, numeric string or `@username`; undefined when there is none. */
  findChat(ref: unknown): ChatRecord | undefined {
    if (typeof ref === 'object' && ref !== null && 'id' in ref) return this.findChat(ref.id);
    if (typeof ref === 'string' && ref.startsWith('@')) {
      const name = ref.slice(1).toLowerCase();
      return [...this.chats.values()].find((c) => c.username?.toLowerCase() === name);
    }
    const id = typeof ref === 'number' ? ref : Number(ref);
    return Number.isSafeInteger(id) ? this.chats.get(id) : undefined;
  }

  chat(ref: ChatRef): ChatRecord {
    const chat = this.findChat(ref);
    if (chat === undefined) throw new Error(`no chat ${String(ref)} in the emulator`);
    return chat;
  }

  bot(token: string): BotRecord {
    const bot = this.bots.get(token);
    if (bot === undefined) throw new Error(`no bot with token ${maskToken(token)}`);
    return bot;
  }

  /** The next message id in a chat, from the point of view of `bot` for private chats. */
  nextMessageId(chat: ChatRecord, bot?: BotRecord): number {
    if (chat.type !== 'private' || bot === undefined) return chat.nextMessageId++;
    const next = bot.privateMessageIds.get(chat.id) ?? 1;
    bot.privateMessageIds.set(chat.id, next + 1);
    return next;
  }

  /** Bots for which `chat` is currently home: member, administrator or restricted. */
  botsIn(chat: ChatRecord): BotRecord[] {
    return [...this.bots.values()].filter((bot) => isPresent(bot.memberships.get(chat.id)));
  }
}

export function isPresent(status: MemberStatus | undefined): boolean {
  return status === 'member' || status === 'administrator' || status === 'restricted';
}

/** The Chat object as it appears inside messages and updates. */
export function chatShape(chat: ChatRecord): TgChat {
  if (chat.type === 'private') {
    const user = chat.user;
    const shape: TgChat = { id: chat.id, type: 'private', first_name: user?.first_name ?? '' };
    if (user?.last_name !== undefined) shape.last_name = user.last_name;
    if (user?.username !== undefined) shape.username = user.username;
    return shape;
  }
  const shape: TgChat = { id: chat.id, title: chat.title ?? '', type: chat.type };
  if (chat.username !== undefined) shape.username = chat.username;
  if (chat.isForum) shape.is_forum = true;
  return shape;
}

/** `123456789:AAE...` becomes `123456789:***`; anything else becomes `***`. */
export function maskToken(token: string): string {
  const colon = token.indexOf(':');
  return colon > 0 ? `${token.slice(0, colon)}:***` : '***';
}

/** Replaces every token-looking run in `text`, so nothing the emulator prints leaks one. */
export function maskTokensIn(text: string): string {
  return text.replace(/(\d{3,20}):[A-Za-z0-9_-]{20,}/g, '$1:***');
}
