/**
 * Turns Bot API updates into the chats they prove exist: the candidates a user may pin.
 *
 * Rules (each one a trap seen in other notifiers):
 * - the chat is always `chat.id`, never `from.id` (in a group, `from` is the member who wrote);
 * - a forum topic is kept only when the message `is_topic_message`; the General topic and the
 *   reply threads of ordinary supergroups carry a `message_thread_id` that is not a topic;
 * - channel posts (`channel_post`) have no `from`; the channel itself is the candidate;
 * - a bot added to a group (`my_chat_member` with a joined status) is a candidate even though
 *   nobody wrote anything; a bot that was removed or blocked is not;
 * - the old group's "migrated to" service message points at a chat that is gone.
 * Reference: https://core.telegram.org/bots/api#update
 */
import type { ChatMember, ChatType, Message, Update, User } from '../telegram-types';

/** Which field of the update the candidate came from. */
export type CandidateSource =
  'message' | 'edited_message' | 'channel_post' | 'edited_channel_post' | 'my_chat_member';

export interface ChatCandidate {
  chatId: number;
  type: ChatType;
  /** The group or channel title, or the person's name for a private chat. */
  title: string;
  /** The chat's public @username, when it has one. */
  username?: string;
  /** The forum topic the message was posted in; absent for the General topic. */
  topicId?: number;
  /** The topic's name, when the update carries it. */
  topicName?: string;
  source: CandidateSource;
  updateId: number;
  /** Unix seconds. */
  date: number;
  /** The message's text or caption: what the handshake looks for. */
  text?: string;
  /** Who wrote, added the bot, or posted (for a channel: the channel's signature is absent). */
  sender?: string;
}

const MESSAGE_FIELDS = [
  'message',
  'edited_message',
  'channel_post',
  'edited_channel_post',
] as const;
const JOINED: ReadonlySet<ChatMember['status']> = new Set([
  'member',
  'administrator',
  'creator',
  'restricted',
]);

/**
 * The chat an update proves, or undefined when it proves none we could post to. Whatever the
 * server sent is checked first: an update whose chat is missing or malformed proves nothing.
 */
export function candidateFromUpdate(update: Update): ChatCandidate | undefined {
  if (!isObject(update)) return undefined;
  for (const field of MESSAGE_FIELDS) {
    const message = update[field];
    if (message) {
      return isObject(message) && isChat(message.chat)
        ? fromMessage(message, field, update.update_id)
        : undefined;
    }
  }
  const member = update.my_chat_member;
  if (isObject(member) && isChat(member.chat) && JOINED.has(member.new_chat_member?.status)) {
    return {
      ...chatFields(member.chat),
      source: 'my_chat_member',
      updateId: update.update_id,
      date: member.date,
      sender: userName(member.from),
    };
  }
  return undefined;
}

/**
 * The distinct chats (and topics) in a batch of updates, newest first. A chat seen several
 * times keeps its latest sighting.
 */
export function candidatesFromUpdates(updates: readonly Update[]): ChatCandidate[] {
  const latest = new Map<string, ChatCandidate>();
  for (const update of updates) {
    const candidate = candidateFromUpdate(update);
    if (!candidate) continue;
    const key = candidateKey(candidate);
    const seen = latest.get(key);
    if (!seen || seen.updateId < candidate.updateId) latest.set(key, candidate);
  }
  return [...latest.values()].sort((a, b) => b.updateId - a.updateId);
}

/** Identifies a place to post: a chat, or one topic of a forum. */
export function candidateKey(candidate: Pick<ChatCandidate, 'chatId' | 'topicId'>): string {
  return candidate.topicId ? `${candidate.chatId}/${candidate.topicId}` : `${candidate.chatId}`;
}

/** "Builds (supergroup, topic Releases)" and the like, for pick lists and messages. */
export function describeCandidate(candidate: ChatCandidate): string {
  const kind = KIND_NAMES[candidate.type];
  const topic = candidate.topicId
    ? `, topic ${candidate.topicName ? `"${candidate.topicName}"` : candidate.topicId}`
    : '';
  return `${candidate.title} (${kind}${topic})`;
}

export const KIND_NAMES: Record<ChatType, string> = {
  private: 'private chat',
  group: 'group',
  supergroup: 'supergroup',
  channel: 'channel',
};

function fromMessage(
  message: Message,
  source: CandidateSource,
  updateId: number,
): ChatCandidate | undefined {
  if (message.migrate_to_chat_id !== undefined) return undefined;
  const candidate: ChatCandidate = {
    ...chatFields(message.chat),
    source,
    updateId,
    date: message.date,
  };
  // A photo's caption carries a code as well as a text message does (channel posts).
  const text = message.text ?? message.caption;
  if (typeof text === 'string') candidate.text = text;
  const sender = message.from ? userName(message.from) : message.sender_chat?.title;
  if (sender) candidate.sender = sender;

  // Bot API: message_thread_id is a forum topic only when is_topic_message is true.
  if (message.is_topic_message === true && Number.isSafeInteger(message.message_thread_id)) {
    candidate.topicId = message.message_thread_id;
    const topicName =
      message.forum_topic_created?.name ?? message.reply_to_message?.forum_topic_created?.name;
    if (topicName) candidate.topicName = topicName;
  }
  return candidate;
}

function chatFields(chat: Message['chat']): Pick<ChatCandidate, 'chatId' | 'type' | 'title'> & {
  username?: string;
} {
  const person = [chat.first_name, chat.last_name].filter(Boolean).join(' ');
  const title =
    typeof chat.title === 'string'
      ? chat.title
      : person || (chat.username ? `@${chat.username}` : String(chat.id));
  return {
    chatId: chat.id,
    type: chat.type,
    title,
    ...(chat.username ? { username: chat.username } : {}),
  };
}

function userName(user: User | undefined): string | undefined {
  if (!isObject(user)) return undefined;
  const name = [user.first_name, user.last_name].filter(Boolean).join(' ');
  return user.username ? `${name} (@${user.username})` : name;
}

function isObject<T>(value: T): value is T & object {
  return typeof value === 'object' && value !== null;
}

/** A chat we could post to: a whole-number id and a type the Bot API defines. */
function isChat(value: unknown): value is Message['chat'] {
  const chat = value as Message['chat'] | null;
  return isObject(chat) && Number.isSafeInteger(chat.id) && Object.hasOwn(KIND_NAMES, chat.type);
}
