import * as vscode from 'vscode';
import { describeChat } from '../core/chats';
import { explainFailure } from '../core/explain';
import { escapeHtml } from '../core/render';
import type { Logger } from '../core/log';
import { describeError } from '../core/redact';
import { parseToken, TokenFormatError } from '../core/token';
import type { Sender } from './sender';
import type { Settings } from './settings';
import type { TelegramClients } from './telegram';
import type { StoredBot, TokenStore } from './token-store';
import type { UserNotices } from './ui';

export interface CommandDeps {
  tokens: TokenStore;
  clients: TelegramClients;
  settings: Settings;
  sender: Sender;
  notices: UserNotices;
  log: Logger;
  showLog(): void;
  onBotsChanged(): void;
}

/**
 * The command handlers. Each takes its inputs as arguments (for keybindings, tasks and
 * scripts) and prompts only for what is missing; each resolves to a result a script can use.
 */
export function registerCommands(deps: CommandDeps): vscode.Disposable[] {
  const register = (name: string, handler: (...args: never[]) => unknown) =>
    vscode.commands.registerCommand(`telegramNotifier.${name}`, handler);
  return [
    register('setToken', (token?: string) => setToken(deps, token)),
    register('removeToken', (botId?: string) => removeToken(deps, botId)),
    register('sendTest', () => sendTest(deps)),
    register('showLog', () => deps.showLog()),
  ];
}

/** Checks the token with getMe and stores it; resolves to the bot, or undefined. */
async function setToken(deps: CommandDeps, given?: string): Promise<StoredBot | undefined> {
  const input =
    typeof given === 'string'
      ? given
      : await vscode.window.showInputBox({
          title: 'Telegram: Set Bot Token',
          prompt: "Paste the token @BotFather gave you. It is kept in VS Code's secret storage.",
          placeHolder: '123456789:AAE…',
          password: true,
          ignoreFocusOut: true,
          validateInput: (text) => (text.trim() ? tokenProblem(text) : undefined),
        });
  if (input === undefined) return undefined;

  let parsed;
  try {
    parsed = parseToken(input);
  } catch (err) {
    deps.notices.error(err instanceof TokenFormatError ? err.message : describeError(err));
    return undefined;
  }

  const baseUrl = deps.settings.apiBaseUrl();
  let username: string;
  try {
    const me = await deps.clients.client(parsed.token).getMe();
    username = me.username ?? me.first_name;
  } catch (err) {
    deps.log.error(`getMe for bot ${parsed.botId} failed: ${describeError(err, [parsed.token])}`);
    const why = explainFailure(err, { baseUrl });
    deps.notices.error(`The token was not saved. ${why}`);
    return undefined;
  }

  const bot = await deps.tokens.store(parsed.token, username);
  deps.log.info(`Stored the token of @${username} (bot ${bot.botId}) in secret storage.`);
  deps.onBotsChanged();
  const next = deps.settings.chats().length
    ? { title: 'Send Test Message', command: 'telegramNotifier.sendTest' }
    : { title: 'Pin a Chat', command: 'telegramNotifier.detectChat' };
  deps.notices.info(`Connected to the bot @${username}.`, next);
  return bot;
}

function tokenProblem(text: string): string | undefined {
  try {
    parseToken(text);
    return undefined;
  } catch (err) {
    return err instanceof TokenFormatError ? err.message : undefined;
  }
}

async function removeToken(deps: CommandDeps, given?: string): Promise<boolean> {
  const bots = await deps.tokens.bots();
  let botId = typeof given === 'string' ? given : undefined;
  if (!botId) {
    if (bots.length === 0) {
      deps.notices.info('No bot token is stored.');
      return false;
    }
    const picked =
      bots.length === 1
        ? { bot: bots[0] }
        : await vscode.window.showQuickPick(
            bots.map((bot) => ({ label: `@${bot.username}`, description: bot.botId, bot })),
            { title: 'Telegram: Remove Bot Token' },
          );
    if (!picked) return false;
    botId = picked.bot.botId;
  }

  const removed = await deps.tokens.remove(botId);
  deps.onBotsChanged();
  if (removed) deps.notices.info(`Removed the token of bot ${botId} from secret storage.`);
  else deps.notices.warn(`No token of bot ${botId} is stored.`);
  return removed;
}

/** Sends a test message to every pinned chat; resolves to how many accepted it. */
async function sendTest(deps: CommandDeps): Promise<number> {
  if (!(await deps.tokens.token())) {
    deps.notices.warn('Set a bot token first.', {
      title: 'Set Bot Token',
      command: 'telegramNotifier.setToken',
    });
    return 0;
  }
  const chats = deps.settings.chats();
  if (chats.length === 0) {
    deps.notices.warn('No chat is pinned yet.', {
      title: 'Pin a Chat',
      command: 'telegramNotifier.detectChat',
    });
    return 0;
  }

  const where = vscode.workspace.name ?? 'VS Code';
  const text = `🔔 Test from Telegram Notifier: notifications from ${escapeHtml(where)} arrive here.`;
  const results = await Promise.all(
    chats.map((chat) => deps.sender.send(chat, { text, parseMode: 'HTML' })),
  );
  const delivered = results.filter(Boolean).length;
  if (delivered === chats.length) {
    deps.notices.info(`Test message sent to ${chats.map(describeChat).join(', ')}.`);
  }
  return delivered;
}
