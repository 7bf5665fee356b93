import { type Clock, unixSeconds } from './clock';
import { badRequest, forbidden } from './errors';
import type { FloodLimiter } from './limits';
import { type Params, boolParam, intParam, jsonParam } from './params';
import { type ParseOptions, finishMessageText, parseMessageText } from './parse-check';
import type { TgMessage, TgMessageEntity } from './types';
import { type BotRecord, type ChatRecord, type TopicRecord, type World, chatShape } from './world';

/** A message the bot actually delivered, as the emulator observed it. */
export interface SentMessage {
  botId: number;
  chatId: number;
  /** The forum topic it went to; undefined for General and non-forum chats. */
  threadId?: number;
  /** The text after entity parsing and trimming, as the recipient sees it. */
  text: string;
  /** The `text` parameter exactly as sent. */
  rawText: string;
  parseMode?: string;
  entities: TgMessageEntity[];
  disableNotification: boolean;
  /** The Message object returned to the bot. */
  message: TgMessage;
  /** Emulator clock, epoch ms. */
  time: number;
}

export interface SendDeps {
  world: World;
  clock: Clock;
  limiter: FloodLimiter | undefined;
  parseOptions: ParseOptions;
  onSent(sent: SentMessage): void;
}

/**
 * sendMessage, checking in the order the Bot API does: parameters and markup first, then
 * whether the bot may write to the chat and topic, then the text's final length, then the
 * flood limits; only a call that passes all of them delivers a message.
 */
export function sendMessage(deps: SendDeps, bot: BotRecord, params: Params): TgMessage {
  if (params.chat_id === undefined || params.chat_id === '') throw badRequest('chat_id is empty');
  const parsed = parseMessageText(params.text, params.parse_mode, deps.parseOptions);

  const chat = writableChat(deps.world, bot, params.chat_id);
  const topic = topicFor(chat, intParam(params.message_thread_id));
  const { text, entities } = finishMessageText(parsed);
  deps.limiter?.take(bot.id, chat.id, chat.type !== 'private');

  const message = botMessage(deps, bot, chat, topic);
  message.text = text;
  if (entities.length > 0) message.entities = entities;
  addEchoedOptions(message, params);

  deps.onSent({
    botId: bot.id,
    chatId: chat.id,
    threadId: topic?.threadId,
    text,
    rawText: String(params.text),
    parseMode: typeof params.parse_mode === 'string' ? params.parse_mode : undefined,
    entities,
    disableNotification: boolParam(params.disable_notification),
    message,
    time: deps.clock.now(),
  });
  return message;
}

/** Resolves `chat_id` to a chat this bot may post in, or throws Telegram's refusal. */
export function writableChat(world: World, bot: BotRecord, ref: unknown): ChatRecord {
  const chat = readableChat(world, bot, ref);

  if (chat.type === 'private') {
    if (chat.user?.is_bot === true) throw forbidden("bot can't send messages to bots");
    if (bot.blockedBy.has(chat.id)) throw forbidden('bot was blocked by the user');
    if (!bot.started.has(chat.id)) throw forbidden("bot can't initiate conversation with a user");
    return chat;
  }

  if (chat.migratedTo !== undefined) {
    throw badRequest('group chat was upgraded to a supergroup chat', {
      migrate_to_chat_id: chat.migratedTo,
    });
  }
  const status = bot.memberships.get(chat.id);
  if (status === 'kicked') throw forbidden(`bot was kicked from the ${chat.type} chat`);
  if (status === 'left') throw forbidden(`bot is not a member of the ${chat.type} chat`);
  if (chat.type === 'channel' && status !== 'administrator') {
    throw badRequest('need administrator rights in the channel chat');
  }
  return chat;
}

/**
 * Resolves `chat_id` to a chat the bot can see at all. A bot knows a user only after that
 * user wrote to it (or appeared in an update), and a group only after it was a member;
 * everything else is "chat not found", whatever exists on Telegram.
 */
export function readableChat(world: World, bot: BotRecord, ref: unknown): ChatRecord {
  const chat = world.findChat(ref);
  const known =
    chat !== undefined &&
    (chat.type === 'private'
      ? bot.knownUsers.has(chat.id) || bot.started.has(chat.id)
      : bot.memberships.has(chat.id));
  if (!known) throw badRequest('chat not found');
  return chat;
}

/**
 * The topic a message goes to. In a forum the General topic takes no thread id; any other
 * id must name a live topic. Outside forums a thread id must not be given. Private chats
 * and channels ignore it.
 */
function topicFor(chat: ChatRecord, threadId: number | undefined): TopicRecord | undefined {
  if (threadId === undefined || threadId === 0) return undefined;
  if (chat.type === 'private' || chat.type === 'channel') return undefined;
  const topic = chat.topics.get(threadId);
  if (topic === undefined) throw badRequest('message thread not found');
  return topic;
}

function botMessage(
  deps: SendDeps,
  bot: BotRecord,
  chat: ChatRecord,
  topic: TopicRecord | undefined,
): TgMessage {
  const shape = chatShape(chat);
  const id = deps.world.nextMessageId(chat, bot);
  const date = unixSeconds(deps.clock);
  // Posts in a channel are signed by the channel, not by the bot.
  const message: TgMessage =
    chat.type === 'channel'
      ? { message_id: id, sender_chat: shape, chat: shape, date }
      : { message_id: id, from: bot.user, chat: shape, date };

  if (topic !== undefined) {
    message.message_thread_id = topic.threadId;
    message.is_topic_message = true;
    message.reply_to_message = topic.created;
  }
  return message;
}

/** Telegram echoes non-default preview options and inline keyboards in the result. */
function addEchoedOptions(message: TgMessage, params: Params): void {
  const preview = jsonParam(params.link_preview_options);
  if (typeof preview === 'object' && preview !== null) {
    message.link_preview_options = preview as Record<string, unknown>;
  } else if (boolParam(params.disable_web_page_preview)) {
    message.link_preview_options = { is_disabled: true };
  }

  const markup = jsonParam(params.reply_markup);
  if (typeof markup === 'object' && markup !== null && 'inline_keyboard' in markup) {
    message.reply_markup = markup;
  }
}
