import * as vscode from 'vscode';
import { describeChat } from '../core/chats';
import { escapeHtml } from '../core/render';
import type { Logger } from '../core/log';
import { describeError } from '../core/redact';
import { parseToken, TokenFormatError } from '../core/token';
import type { Sender } from './sender';
import type { Settings } from './settings';
import type { TelegramClients } from './telegram';
import type { StoredBot, TokenStore } from './token-store';
import { explain, tokenProblem as tokenProblemText } from './l10n';
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
  /** A test message reached at least one chat (the walkthrough's "send a test" step). */
  onTestDelivered?(): void;
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
          title: vscode.l10n.t('Telegram: Set Bot Token'),
          prompt: vscode.l10n.t(
            "Paste the token @BotFather gave you. It is kept in VS Code's secret storage.",
          ),
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
    deps.notices.error(
      err instanceof TokenFormatError ? tokenProblemText(err) : describeError(err),
    );
    return undefined;
  }

  const baseUrl = deps.settings.apiBaseUrl();
  let username: string;
  try {
    const me = await deps.clients.client(parsed.token).getMe();
    username = me.username ?? me.first_name;
  } catch (err) {
    deps.log.error(`getMe for bot ${parsed.botId} failed: ${describeError(err, [parsed.token])}`);
    const why = explain(err, { baseUrl });
    deps.notices.error(vscode.l10n.t('The token was not saved. {0}', why));
    return undefined;
  }

  const bot = await deps.tokens.store(parsed.token, username);
  deps.log.info(`Stored the token of @${username} (bot ${bot.botId}) in secret storage.`);
  deps.onBotsChanged();
  const next = deps.settings.chats().length
    ? { title: vscode.l10n.t('Send Test Message'), command: 'telegramNotifier.sendTest' }
    : { title: vscode.l10n.t('Pin a Chat'), command: 'telegramNotifier.detectChat' };
  deps.notices.info(vscode.l10n.t('Connected to the bot @{0}.', username), next);
  return bot;
}

function tokenProblem(text: string): string | undefined {
  try {
    parseToken(text);
    return undefined;
  } catch (err) {
    return err instanceof TokenFormatError ? tokenProblemText(err) : undefined;
  }
}

async function removeToken(deps: CommandDeps, given?: string): Promise<boolean> {
  const bots = await deps.tokens.bots();
  let botId = typeof given === 'string' ? given : undefined;
  if (!botId) {
    if (bots.length === 0) {
      deps.notices.info(vscode.l10n.t('No bot token is stored.'));
      return false;
    }
    const picked =
      bots.length === 1
        ? { bot: bots[0] }
        : await vscode.window.showQuickPick(
            bots.map((bot) => ({ label: `@${bot.username}`, description: bot.botId, bot })),
            { title: vscode.l10n.t('Telegram: Remove Bot Token') },
          );
    if (!picked) return false;
    botId = picked.bot.botId;
  }

  const removed = await deps.tokens.remove(botId);
  deps.onBotsChanged();
  if (removed) {
    deps.notices.info(vscode.l10n.t('Removed the token of bot {0} from secret storage.', botId));
  } else {
    deps.notices.warn(vscode.l10n.t('No token of bot {0} is stored.', botId));
  }
  return removed;
}

/** Sends a test message to every pinned chat; resolves to how many accepted it. */
async function sendTest(deps: CommandDeps): Promise<number> {
  if (!(await deps.tokens.token())) {
    deps.notices.warn(vscode.l10n.t('Set a bot token first.'), {
      title: vscode.l10n.t('Set Bot Token'),
      command: 'telegramNotifier.setToken',
    });
    return 0;
  }
  const chats = deps.settings.chats();
  if (chats.length === 0) {
    deps.notices.warn(vscode.l10n.t('No chat is pinned yet.'), {
      title: vscode.l10n.t('Pin a Chat'),
      command: 'telegramNotifier.detectChat',
    });
    return 0;
  }

  const where = vscode.workspace.name ?? 'VS Code';
  const text = vscode.l10n.t(
    '🔔 Test from Telegram Notifier: notifications from {0} arrive here.',
    escapeHtml(where),
  );
  const results = await Promise.all(
    chats.map((chat) => deps.sender.send(chat, { text, parseMode: 'HTML' })),
  );
  const delivered = results.filter(Boolean).length;
  if (delivered > 0) deps.onTestDelivered?.();
  if (delivered === chats.length) {
    deps.notices.info(
      vscode.l10n.t('Test message sent to {0}.', chats.map(describeChat).join(', ')),
    );
  }
  return delivered;
}
