/**
 * Pinning and unpinning chats: by id, @name or t.me link ("Telegram: Pin Chat"), and the
 * check every pin passes before it is saved (getChat, then a confirmation message), shared
 * with chat detection and the Apprise import.
 */
import * as vscode from 'vscode';
import type { BotApiClient } from '../core/bot-api';
import { type PinnedChat, describeChat } from '../core/chats';
import { sendToChat } from '../core/delivery';
import {
  ChatReferenceError,
  type ChatReference,
  likelyMeantIds,
  parseChatReference,
} from '../core/discovery/chat-ref';
import { classifyFailure, type FailureKind } from '../core/explain';
import type { Logger } from '../core/log';
import { describeError } from '../core/redact';
import type { ChatFullInfo } from '../core/telegram-types';
import type { Settings } from './settings';
import type { TelegramClients } from './telegram';
import { explain } from './l10n';
import type { TokenStore } from './token-store';
import type { UserNotices } from './ui';

export interface ChatCommandDeps {
  tokens: TokenStore;
  clients: TelegramClients;
  settings: Settings;
  notices: UserNotices;
  log: Logger;
  /** Folder for the discovery lease (the extension's global storage). */
  storagePath: string;
  onBotsChanged(): void;
}

/** What a pin command resolves to, for scripts and tests. */
export interface PinResult {
  status: 'pinned' | 'cancelled' | 'failed' | 'no-bot' | 'busy' | 'expired';
  chat?: PinnedChat;
  /** Which condition stopped it, when Telegram refused. */
  reason?: FailureKind | 'bad-input' | 'not-found';
  /** What the user was told. */
  message?: string;
}

export interface ChosenBot {
  botId: string;
  username: string;
  token: string;
}

/** The bot to use: the one named, the only one, or one the user picks. */
export async function chooseBot(
  deps: ChatCommandDeps,
  botId: string | undefined,
  title: string,
): Promise<ChosenBot | undefined> {
  const bots = await deps.tokens.bots();
  let bot = botId ? bots.find((b) => b.botId === botId) : bots.length === 1 ? bots[0] : undefined;
  if (!bot && !botId && bots.length > 1) {
    const picked = await vscode.window.showQuickPick(
      bots.map((b) => ({ label: `@${b.username}`, description: b.botId, bot: b })),
      { title, placeHolder: vscode.l10n.t('Which bot should send to the chat?') },
    );
    bot = picked?.bot;
    if (!picked) return undefined;
  }
  const token = bot && (await deps.tokens.token(bot.botId));
  if (!bot || !token) {
    const message = botId
      ? vscode.l10n.t('No bot token of bot {0} is stored. Set one first.', botId)
      : vscode.l10n.t('No bot token is stored. Set one first.');
    deps.notices.warn(message, {
      title: vscode.l10n.t('Set Bot Token'),
      command: 'telegramNotifier.setToken',
    });
    return undefined;
  }
  return { botId: bot.botId, username: bot.username, token };
}

/** The confirmation every new pin gets: proof the bot can post there, before it is saved. */
const confirmation = () =>
  vscode.l10n.t(
    '📌 Telegram Notifier: this chat is pinned. VS Code will post here when tasks, debug ' +
      'sessions and long terminal commands finish.',
  );

/**
 * Sends the confirmation message and, when Telegram accepts it, saves the pin (replacing an
 * earlier pin of the same chat, topic and bot). A group that turned into a supergroup is
 * followed: the new id is what gets saved. Throws what the send threw; nothing is saved then.
 */
export async function confirmAndSave(
  deps: ChatCommandDeps,
  client: BotApiClient,
  chat: PinnedChat,
): Promise<PinnedChat> {
  let saved = chat;
  await sendToChat(client, chat, { text: confirmation() }, deps.log, {
    onChatMigrated: (_old, newId) => {
      saved = { ...chat, id: newId, type: 'supergroup' };
    },
  });
  const others = deps.settings.chats().filter((c) => !samePlace(c, saved));
  await deps.settings.setChats([...others, saved]);
  deps.log.info(`Pinned ${describeChat(saved)} for bot ${saved.botId ?? '(default)'}.`);
  return saved;
}

export function samePlace(a: PinnedChat, b: PinnedChat): boolean {
  return (
    String(a.id) === String(b.id) &&
    (a.topicId ?? 0) === (b.topicId ?? 0) &&
    (a.botId ?? '') === (b.botId ?? '')
  );
}

/** The notice after a pin, and why it will keep working. */
export function pinnedNotice(deps: ChatCommandDeps, chat: PinnedChat): string {
  const message = vscode.l10n.t(
    "Pinned {0}. The pin is permanent: sending never depends on the bot's recent updates, " +
      'which Telegram forgets after 24 hours.',
    describeChat(chat),
  );
  const next = { title: vscode.l10n.t('Send Test Message'), command: 'telegramNotifier.sendTest' };
  deps.notices.info(message, next);
  return message;
}

export type PinChatArgs =
  string | number | { chat: string | number; topicId?: number; botId?: string; title?: string };

/** "Telegram: Pin Chat": checks the chat with getChat and a test message, then saves it. */
export async function pinChat(deps: ChatCommandDeps, args?: PinChatArgs): Promise<PinResult> {
  const given = typeof args === 'object' ? args : args === undefined ? undefined : { chat: args };
  const bot = await chooseBot(deps, given?.botId, vscode.l10n.t('Telegram: Pin Chat'));
  if (!bot) return { status: 'no-bot' };

  const input = given ? String(given.chat) : await askForChat();
  if (input === undefined) return { status: 'cancelled' };
  let ref: ChatReference;
  try {
    ref = parseChatReference(input);
  } catch (err) {
    const message = err instanceof ChatReferenceError ? err.message : describeError(err);
    deps.notices.error(message);
    return { status: 'failed', reason: 'bad-input', message };
  }
  if (given?.topicId) ref.topicId = given.topicId;

  const client = deps.clients.client(bot.token);
  const info = await lookUpChat(deps, client, ref.chatId, bot.username);
  if ('status' in info) return info;

  // The numeric id, also for an @name: names can change hands, ids stay.
  const chat: PinnedChat = { id: info.id, type: info.type, botId: bot.botId };
  const title = given?.title ?? info.title ?? [info.first_name, info.last_name].join(' ').trim();
  if (title) chat.title = title;
  const topicId = ref.topicId ?? (info.is_forum ? ref.threadOrMessage : undefined);
  if (topicId) chat.topicId = topicId;
  return saveChecked(deps, client, chat);
}

/** Sends the confirmation, saves, and tells the user either way. */
export async function saveChecked(
  deps: ChatCommandDeps,
  client: BotApiClient,
  chat: PinnedChat,
): Promise<PinResult> {
  try {
    const saved = await confirmAndSave(deps, client, chat);
    return { status: 'pinned', chat: saved, message: pinnedNotice(deps, saved) };
  } catch (err) {
    deps.log.error(`The confirmation to ${describeChat(chat)} failed: ${describeError(err)}`);
    const why = explain(err, { baseUrl: deps.settings.apiBaseUrl(), chat: describeChat(chat) });
    const message = vscode.l10n.t('Nothing was pinned. {0}', why);
    deps.notices.error(message);
    return { status: 'failed', reason: classifyFailure(err), message };
  }
}

async function askForChat(): Promise<string | undefined> {
  return vscode.window.showInputBox({
    title: vscode.l10n.t('Telegram: Pin Chat'),
    prompt: vscode.l10n.t(
      'A chat id (a person who started the bot: their user id; groups are negative, ' +
        'supergroups and channels start with -100), a public @channelname, or a t.me link. ' +
        'To find a chat, use "Telegram: Detect and Pin Chat".',
    ),
    placeHolder: '-1001234567890, @my_channel or https://t.me/c/1234567890/42',
    ignoreFocusOut: true,
    validateInput: (text) => {
      if (!text.trim()) return undefined;
      try {
        parseChatReference(text);
        return undefined;
      } catch (err) {
        return err instanceof ChatReferenceError ? err.message : undefined;
      }
    },
  });
}

/** getChat, with the hints for the usual mistakes when Telegram does not know the chat. */
async function lookUpChat(
  deps: ChatCommandDeps,
  client: BotApiClient,
  chatId: number | string,
  botName: string,
): Promise<ChatFullInfo | PinResult> {
  try {
    return await client.getChat(chatId);
  } catch (err) {
    deps.log.warn(`getChat for ${chatId} failed: ${describeError(err)}`);
    const kind = classifyFailure(err);
    const why =
      kind === 'chat-not-found'
        ? await notFoundHint(client, chatId, botName)
        : explain(err, { baseUrl: deps.settings.apiBaseUrl(), chat: String(chatId) });
    const message = vscode.l10n.t('Nothing was pinned. {0}', why);
    deps.notices.error(message);
    return { status: 'failed', reason: kind === 'chat-not-found' ? 'not-found' : kind, message };
  }
}

async function notFoundHint(
  client: BotApiClient,
  chatId: number | string,
  botName: string,
): Promise<string> {
  for (const candidate of likelyMeantIds(chatId)) {
    const found = await client.getChat(candidate).catch(() => undefined);
    if (found) {
      return vscode.l10n.t(
        '@{0} knows no chat {1}, but {2} is "{3}": group ids start with a minus sign ' +
          '(supergroups and channels with -100). Pin {2} instead.',
        botName,
        chatId,
        candidate,
        found.title ?? found.id,
      );
    }
  }
  if (typeof chatId === 'string') {
    return vscode.l10n.t(
      '@{0} cannot see {1}: the name is wrong, or the chat is private, or the bot is not a ' +
        'member (in a channel it must be an administrator).',
      botName,
      chatId,
    );
  }
  return chatId > 0
    ? vscode.l10n.t(
        '@{0} knows no chat {1}. If it is a person, they must open @{0} in Telegram and ' +
          'press Start first. If it is a group, its id starts with a minus sign.',
        botName,
        chatId,
      )
    : vscode.l10n.t(
        '@{0} knows no chat {1}: check the id, and add the bot to the group or channel (in a ' +
          'channel as an administrator).',
        botName,
        chatId,
      );
}

export type UnpinChatArgs =
  string | number | { id: string | number; topicId?: number; botId?: string };

/** "Telegram: Unpin Chat": removes pins; resolves to how many were removed. */
export async function unpinChat(deps: ChatCommandDeps, args?: UnpinChatArgs): Promise<number> {
  const chats = deps.settings.chats();
  let remove: PinnedChat[];
  if (args !== undefined) {
    const wanted = typeof args === 'object' ? args : { id: args };
    remove = chats.filter(
      (c) =>
        String(c.id) === String(wanted.id) &&
        (wanted.topicId === undefined || (c.topicId ?? 0) === wanted.topicId) &&
        (wanted.botId === undefined || c.botId === wanted.botId),
    );
  } else {
    if (chats.length === 0) {
      deps.notices.info(vscode.l10n.t('No chat is pinned.'));
      return 0;
    }
    const picked = await vscode.window.showQuickPick(
      chats.map((chat) => ({ label: describeChat(chat), description: chat.type, chat })),
      {
        title: vscode.l10n.t('Telegram: Unpin Chat'),
        canPickMany: true,
        placeHolder: vscode.l10n.t('Chats to stop notifying'),
      },
    );
    remove = picked?.map((p) => p.chat) ?? [];
    if (remove.length === 0) return 0;
  }

  if (remove.length === 0) {
    deps.notices.warn(vscode.l10n.t('No pinned chat matches {0}.', JSON.stringify(args)));
    return 0;
  }
  await deps.settings.setChats(chats.filter((c) => !remove.includes(c)));
  deps.notices.info(vscode.l10n.t('Unpinned {0}.', remove.map(describeChat).join(', ')));
  return remove.length;
}
