import { type Clock, unixSeconds } from './clock';
import type {
  MemberStatus,
  TgChatMember,
  TgChatMemberUpdated,
  TgMessage,
  TgMessageEntity,
  TgUpdate,
  TgUser,
} from './types';
import {
  type BotRecord,
  type ChatRecord,
  GROUP_ANONYMOUS_BOT,
  type TopicRecord,
  type World,
  chatShape,
  isPresent,
} from './world';

/** The color Telegram gives a topic created without choosing one. */
const DEFAULT_TOPIC_COLOR = 7322096;

/**
 * What people do on Telegram's side, turned into the updates a bot would receive: messages
 * in each kind of chat, a bot added or removed, a bot blocked, a group upgraded. Shapes follow
 * the Bot API's Update, Message and ChatMemberUpdated objects.
 */
export class Actors {
  constructor(
    private readonly world: World,
    private readonly clock: Clock,
  ) {}

  /** A user writes to the bot in their private chat; writing implies they started it. */
  privateMessage(bot: BotRecord, user: TgUser, text: string): TgMessage {
    const chat = this.world.chat(user.id);
    if (bot.blockedBy.has(user.id)) this.setBlocked(bot, user, false);
    bot.started.add(user.id);

    const message = this.userMessage(chat, user, text, this.world.nextMessageId(chat, bot));
    this.deliver(bot, { message }, user);
    return message;
  }

  /**
   * A user writes in a group or supergroup; every bot present receives it, except that a bot
   * in privacy mode (and not an administrator) sees only commands and service messages. In a
   * forum, `threadId` names the topic; without it the message goes to General, which carries
   * no thread id at all.
   */
  groupMessage(chat: ChatRecord, user: TgUser, text: string, threadId?: number): TgMessage {
    if (chat.type !== 'group' && chat.type !== 'supergroup') {
      throw new Error(`chat ${chat.id} is a ${chat.type}, not a group`);
    }
    if (chat.migratedTo !== undefined) {
      throw new Error(`group ${chat.id} was upgraded to ${chat.migratedTo}; write there`);
    }

    const message = this.userMessage(chat, user, text, this.world.nextMessageId(chat));
    if (threadId !== undefined) Object.assign(message, this.topicFields(chat, threadId));

    for (const bot of this.world.botsIn(chat)) {
      if (this.sees(bot, chat, text)) this.deliver(bot, { message }, user);
    }
    return message;
  }

  /** A post in a channel: no `from`, the channel itself is `sender_chat`. */
  channelPost(chat: ChatRecord, text: string, authorSignature?: string): TgMessage {
    if (chat.type !== 'channel') throw new Error(`chat ${chat.id} is not a channel`);
    const shape = chatShape(chat);
    const message: TgMessage = {
      message_id: this.world.nextMessageId(chat),
      sender_chat: shape,
      chat: shape,
      date: unixSeconds(this.clock),
      text,
    };
    if (authorSignature !== undefined) message.author_signature = authorSignature;

    for (const bot of this.world.botsIn(chat)) this.deliver(bot, { channel_post: message });
    return message;
  }

  /**
   * `by` changes the bot's status in a group, supergroup or channel: `my_chat_member`, plus
   * in groups the service message (`new_chat_members` / `left_chat_member`) Telegram adds.
   */
  setBotStatus(
    bot: BotRecord,
    chat: ChatRecord,
    by: TgUser,
    status: MemberStatus,
  ): TgChatMemberUpdated {
    if (chat.type === 'private') throw new Error('use blockBot / unblockBot for private chats');
    const old = bot.memberships.get(chat.id) ?? 'left';
    bot.memberships.set(chat.id, status);

    const change = this.memberChange(bot, chat, by, old, status);
    this.deliver(bot, { my_chat_member: change }, by);
    if (chat.type !== 'channel' && isPresent(old) !== isPresent(status)) {
      const key = isPresent(status) ? 'joined' : 'left';
      this.deliver(bot, { message: this.membershipMessage(chat, by, bot.user, key) }, by);
    }
    return change;
  }

  /** The user blocks (or unblocks) the bot: a `my_chat_member` update in the private chat. */
  setBlocked(bot: BotRecord, user: TgUser, blocked: boolean): TgChatMemberUpdated {
    const chat = this.world.chat(user.id);
    if (blocked) bot.blockedBy.add(user.id);
    else bot.blockedBy.delete(user.id);

    const [old, now]: MemberStatus[] = blocked ? ['member', 'kicked'] : ['kicked', 'member'];
    const change = this.memberChange(bot, chat, user, old, now);
    this.deliver(bot, { my_chat_member: change }, user);
    return change;
  }

  /**
   * A basic group is upgraded to a supergroup. Present bots receive the group's
   * `migrate_to_chat_id` message and the supergroup's `migrate_from_chat_id` one; afterwards
   * sends to the old id fail with 400 and `parameters.migrate_to_chat_id`.
   */
  migrate(group: ChatRecord, by: TgUser, supergroupId?: number): ChatRecord {
    if (group.type !== 'group' || group.migratedTo !== undefined) {
      throw new Error(`chat ${group.id} is not a basic group that can be upgraded`);
    }
    const id = supergroupId ?? this.world.allocateChatId('supergroup');
    const supergroup = this.world.addChat({
      id,
      type: 'supergroup',
      title: group.title,
      isForum: false,
    });
    group.migratedTo = supergroup.id;

    const date = unixSeconds(this.clock);
    const toMessage: TgMessage = {
      message_id: this.world.nextMessageId(group),
      from: by,
      chat: chatShape(group),
      date,
      migrate_to_chat_id: supergroup.id,
    };
    const fromMessage: TgMessage = {
      message_id: this.world.nextMessageId(supergroup),
      from: GROUP_ANONYMOUS_BOT,
      sender_chat: chatShape(supergroup),
      chat: chatShape(supergroup),
      date,
      migrate_from_chat_id: group.id,
    };

    for (const bot of this.world.botsIn(group)) {
      bot.memberships.set(supergroup.id, bot.memberships.get(group.id) ?? 'member');
      this.deliver(bot, { message: toMessage }, by);
      this.deliver(bot, { message: fromMessage });
    }
    return supergroup;
  }

  /**
   * Creates a topic in a forum; its thread id is the id of its creation message, which bots
   * present receive unless `quiet`.
   */
  createTopic(chat: ChatRecord, name: string, by?: TgUser, opts = { quiet: false }): TopicRecord {
    if (!chat.isForum) throw new Error(`chat ${chat.id} is not a forum`);
    const threadId = this.world.nextMessageId(chat);
    const created: TgMessage = {
      message_id: threadId,
      message_thread_id: threadId,
      from: by ?? GROUP_ANONYMOUS_BOT,
      chat: chatShape(chat),
      date: unixSeconds(this.clock),
      forum_topic_created: { name, icon_color: DEFAULT_TOPIC_COLOR },
      is_topic_message: true,
    };
    if (by === undefined) created.sender_chat = chatShape(chat);

    const topic: TopicRecord = { threadId, name, created };
    chat.topics.set(threadId, topic);
    if (opts.quiet) return topic;
    for (const bot of this.world.botsIn(chat)) this.deliver(bot, { message: created }, by);
    return topic;
  }

  /** Pushes any update to one bot; only `update_id` is filled in. */
  deliver(
    bot: BotRecord,
    partial: Omit<TgUpdate, 'update_id'>,
    from?: TgUser,
  ): TgUpdate | undefined {
    if (from !== undefined && !from.is_bot) bot.knownUsers.add(from.id);
    return bot.queue.push(partial);
  }

  private userMessage(chat: ChatRecord, user: TgUser, text: string, id: number): TgMessage {
    const message: TgMessage = {
      message_id: id,
      from: user,
      chat: chatShape(chat),
      date: unixSeconds(this.clock),
      text,
    };
    const entities = commandEntities(text);
    if (entities.length > 0) message.entities = entities;
    return message;
  }

  private topicFields(chat: ChatRecord, threadId: number): Partial<TgMessage> {
    const topic = chat.topics.get(threadId);
    if (!chat.isForum || topic === undefined) {
      throw new Error(`chat ${chat.id} has no topic ${threadId}`);
    }
    return { message_thread_id: threadId, is_topic_message: true, reply_to_message: topic.created };
  }

  /** Privacy mode (on by default for new bots) hides ordinary chatter in groups. */
  private sees(bot: BotRecord, chat: ChatRecord, text: string): boolean {
    if (!bot.privacyMode || bot.memberships.get(chat.id) === 'administrator') return true;
    const command = /^\/[A-Za-z0-9_]+(?:@([A-Za-z0-9_]+))?/.exec(text);
    if (command === null) return false;
    const addressee = command[1];
    return addressee === undefined || addressee.toLowerCase() === bot.user.username?.toLowerCase();
  }

  private memberChange(
    bot: BotRecord,
    chat: ChatRecord,
    by: TgUser,
    old: MemberStatus,
    status: MemberStatus,
  ): TgChatMemberUpdated {
    return {
      chat: chatShape(chat),
      from: by,
      date: unixSeconds(this.clock),
      old_chat_member: memberObject(bot.user, old, chat),
      new_chat_member: memberObject(bot.user, status, chat),
    };
  }

  private membershipMessage(
    chat: ChatRecord,
    by: TgUser,
    member: TgUser,
    change: 'joined' | 'left',
  ): TgMessage {
    const base = {
      message_id: this.world.nextMessageId(chat),
      from: by,
      chat: chatShape(chat),
      date: unixSeconds(this.clock),
    };
    if (change === 'left') return { ...base, left_chat_member: member };
    return {
      ...base,
      new_chat_participant: member,
      new_chat_member: member,
      new_chat_members: [member],
    };
  }
}

/** The ChatMember object for `status`, with the rights a freshly promoted bot gets. */
export function memberObject(user: TgUser, status: MemberStatus, chat: ChatRecord): TgChatMember {
  if (status === 'kicked') return { user, status, until_date: 0 };
  if (status !== 'administrator') return { user, status };

  const rights: TgChatMember = {
    user,
    status,
    can_be_edited: false,
    is_anonymous: false,
    can_manage_chat: true,
    can_delete_messages: true,
    can_manage_video_chats: true,
    can_restrict_members: true,
    can_promote_members: false,
    can_change_info: true,
    can_invite_users: true,
  };
  if (chat.type === 'channel')
    Object.assign(rights, { can_post_messages: true, can_edit_messages: true });
  else Object.assign(rights, { can_pin_messages: true });
  if (chat.isForum) rights.can_manage_topics = true;
  return rights;
}

/** Telegram marks a leading `/command` or `/command@bot` as a `bot_command` entity. */
export function commandEntities(text: string): TgMessageEntity[] {
  const match = /^\/[A-Za-z0-9_]{1,32}(?:@[A-Za-z0-9_]{3,32})?/.exec(text);
  return match === null ? [] : [{ type: 'bot_command', offset: 0, length: match[0].length }];
}
