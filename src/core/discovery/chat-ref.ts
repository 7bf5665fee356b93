/**
 * What a person types to name a chat for "Pin Chat": a numeric id, an `@channelname`, or a
 * link copied from a Telegram app (`t.me/name`, `t.me/c/<id>/<topic>`, Telegram Web's
 * `#<id>`). Parsing only; whether the bot can post there is checked with getChat.
 */

export interface ChatReference {
  /** A numeric chat id or a public `@name`. */
  chatId: number | string;
  /** A topic the link names for certain (`t.me/c/<id>/<topic>/<message>`, `?thread=`). */
  topicId?: number;
  /**
   * The number after the chat in `t.me/c/<id>/<n>`: a topic in a forum, a message in any other
   * chat. Only getChat (`is_forum`) can tell which.
   */
  threadOrMessage?: number;
}

export class ChatReferenceError extends Error {
  override readonly name = 'ChatReferenceError';
}

const NAME = /^[A-Za-z][A-Za-z0-9_]{3,31}$/;
const LINK_HOSTS = /^(?:https?:\/\/)?(?:www\.)?(?:t\.me|telegram\.me|telegram\.dog)\/(.*)$/i;

export function parseChatReference(input: string): ChatReference {
  const text = input.trim().replace(/^[\u2212\u2013]/, '-');
  if (!text) throw new ChatReferenceError('Type a chat id, an @channelname or a t.me link.');

  if (/^-?\d+$/.test(text)) return { chatId: numericId(text) };
  if (text.startsWith('@')) return { chatId: publicName(text.slice(1)) };

  const web = /web\.telegram\.org\/[a-z]\/?#(@?[\w-]+)/i.exec(text);
  if (web) return parseChatReference(web[1]);

  const link = LINK_HOSTS.exec(text);
  if (link) return fromLink(link[1]);

  if (NAME.test(text)) {
    throw new ChatReferenceError(
      `"${text}" is neither a chat id nor an @name. For a public channel or group, type @${text}.`,
    );
  }
  throw new ChatReferenceError(
    'That is not a chat id, an @channelname or a t.me link. Group ids are negative ' +
      '(supergroups and channels start with -100); "Telegram: Detect and Pin Chat" finds them.',
  );
}

/**
 * Ids to try when getChat does not know a positive id: the same group with its minus sign,
 * or as a supergroup/channel with -100 (t.me/c links and some bots show ids without it).
 */
export function likelyMeantIds(chatId: number | string): number[] {
  if (typeof chatId !== 'number' || chatId <= 0) return [];
  const digits = String(chatId);
  if (digits.startsWith('100') && digits.length >= 13) return [-chatId];
  return [-chatId, -Number(`100${digits}`)].filter(Number.isSafeInteger);
}

function fromLink(rest: string): ChatReference {
  const [path, query = ''] = rest.split(/[?#]/, 2);
  const parts = path.split('/').filter(Boolean);
  const thread = /(?:^|&)(?:thread|topic)=(\d+)/.exec(query)?.[1];
  const topicId = thread ? Number(thread) : undefined;

  if (parts[0] === '+' || parts[0]?.startsWith('+') || parts[0] === 'joinchat') {
    throw new ChatReferenceError(
      'An invite link does not tell a bot which chat it is. Add the bot to the group, then ' +
        'use "Telegram: Detect and Pin Chat", or copy a message link from the group instead.',
    );
  }
  if (parts[0] === 'c') {
    if (!/^\d+$/.test(parts[1] ?? '')) {
      throw new ChatReferenceError('A t.me/c/ link must go on with the chat number.');
    }
    // The link shows a supergroup's or channel's id without its -100; numericId checks
    // the whole id's range, so a mistyped number is refused, not rounded.
    const ref: ChatReference = { chatId: numericId(`-100${parts[1]}`) };
    return withThread(ref, parts.slice(2), topicId);
  }
  const name = parts[0] === 's' ? parts[1] : parts[0];
  if (!name) throw new ChatReferenceError('That t.me link names no chat.');
  return withThread({ chatId: publicName(name) }, parts.slice(parts[0] === 's' ? 2 : 1), topicId);
}

/** `/<topic>/<message>` names a topic for certain; a lone `/<n>` may be either. */
function withThread(ref: ChatReference, rest: string[], topicId?: number): ChatReference {
  const numbers = rest.filter((part) => /^\d+$/.test(part)).map(Number);
  if (topicId) ref.topicId = topicId;
  else if (numbers.length >= 2) ref.topicId = numbers[0];
  else if (numbers.length === 1) ref.threadOrMessage = numbers[0];
  return ref;
}

function numericId(text: string): number {
  const id = Number(text);
  if (id === 0 || !Number.isSafeInteger(id) || text.replace('-', '').length > 16) {
    const why =
      id === 0
        ? 'no chat has the id 0'
        : 'chat ids have at most 16 digits (Telegram keeps them within 52 bits)';
    throw new ChatReferenceError(`${text} cannot be a Telegram chat id: ${why}.`);
  }
  return id;
}

function publicName(name: string): string {
  if (!NAME.test(name)) {
    throw new ChatReferenceError(
      `@${name} cannot be a public chat name: 5 to 32 letters, digits or "_", starting ` +
        'with a letter.',
    );
  }
  return `@${name}`;
}
