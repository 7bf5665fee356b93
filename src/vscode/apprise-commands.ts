/**
 * "Telegram: Import Apprise URL" and "Telegram: Copy as Apprise URL": a `tgram://` URL becomes
 * a stored token, checked pins and settings, and back. The URL holds the token, so it is
 * never logged, never returned to a caller, and the user is warned before it is copied.
 */
import * as vscode from 'vscode';
import { AppriseUrlError, formatAppriseUrl, parseAppriseUrl } from '../core/apprise';
import type { PinnedChat } from '../core/chats';
import { describeError } from '../core/redact';
import { explain } from './l10n';
import { SECTION } from './settings';
import { type ChatCommandDeps, chooseBot, pinChat } from './pin-chat';

export interface ImportResult {
  status: 'imported' | 'cancelled' | 'failed';
  botId?: string;
  /** Chats that passed the check and were pinned. */
  pinned: PinnedChat[];
  /** One line per chat that was not pinned, and why. */
  problems: string[];
  /** Settings changed, as `name=value`. */
  settings: string[];
  message?: string;
}

export async function importAppriseUrl(
  deps: ChatCommandDeps,
  given?: string,
): Promise<ImportResult> {
  const result: ImportResult = { status: 'failed', pinned: [], problems: [], settings: [] };
  const url = typeof given === 'string' ? given : await askForUrl();
  if (url === undefined) return { ...result, status: 'cancelled' };

  let setup;
  try {
    setup = parseAppriseUrl(url);
  } catch (err) {
    const message = err instanceof AppriseUrlError ? err.message : describeError(err);
    deps.notices.error(vscode.l10n.t('The Apprise URL was not imported. {0}', message));
    return { ...result, message };
  }

  let username: string;
  try {
    const me = await deps.clients.client(setup.token).getMe();
    username = me.username ?? me.first_name;
  } catch (err) {
    deps.log.error(`getMe for bot ${setup.botId} failed: ${describeError(err, [setup.token])}`);
    const why = explain(err, { baseUrl: deps.settings.apiBaseUrl() });
    const message = vscode.l10n.t('Nothing was imported. {0}', why);
    deps.notices.error(message);
    return { ...result, message };
  }
  await deps.tokens.store(setup.token, username);
  deps.onBotsChanged();
  result.botId = setup.botId;

  for (const target of setup.targets) {
    const pinned = await pinChat(deps, {
      chat: target.chatId,
      topicId: target.topicId,
      botId: setup.botId,
    });
    if (pinned.chat) result.pinned.push(pinned.chat);
    else result.problems.push(`${target.chatId}: ${pinned.message ?? pinned.status}`);
  }
  result.settings = await applyOptions(setup);
  result.status = 'imported';
  result.message = summary(username, result, setup.ignored, setup.preview);
  const next =
    setup.targets.length === 0
      ? { title: vscode.l10n.t('Detect and Pin Chat'), command: 'telegramNotifier.detectChat' }
      : { title: vscode.l10n.t('Send Test Message'), command: 'telegramNotifier.sendTest' };
  (result.problems.length ? deps.notices.warn : deps.notices.info).call(
    deps.notices,
    result.message,
    next,
  );
  return result;
}

/** Apprise's `format` is ours; `silent=yes` is closest to silent successes. */
async function applyOptions(setup: ReturnType<typeof parseAppriseUrl>): Promise<string[]> {
  const config = vscode.workspace.getConfiguration(SECTION);
  const changed: string[] = [];
  if (setup.format) {
    await config.update('format', setup.format, vscode.ConfigurationTarget.Global);
    changed.push(`format=${setup.format}`);
  }
  if (setup.silent !== undefined) {
    await config.update('silentSuccess', setup.silent, vscode.ConfigurationTarget.Global);
    changed.push(`silentSuccess=${setup.silent}`);
  }
  return changed;
}

function summary(
  username: string,
  result: ImportResult,
  ignored: string[],
  preview: boolean | undefined,
): string {
  const parts = [vscode.l10n.t('Imported the token of @{0}.', username)];
  if (result.pinned.length) parts.push(vscode.l10n.t('Pinned {0} chat(s).', result.pinned.length));
  if (result.problems.length) {
    parts.push(vscode.l10n.t('Not pinned: {0}', result.problems.join(' ')));
  }
  if (!result.pinned.length && !result.problems.length) {
    parts.push(vscode.l10n.t('The URL names no chat: pin one with "Detect and Pin Chat".'));
  }
  if (result.settings.length) parts.push(vscode.l10n.t('Set {0}.', result.settings.join(', ')));
  const previewNote = vscode.l10n.t('preview=yes (link previews stay off)');
  const unused = [...ignored, ...(preview ? [previewNote] : [])];
  if (unused.length) parts.push(vscode.l10n.t('Not used here: {0}.', unused.join(', ')));
  return parts.join(' ');
}

function askForUrl(): Thenable<string | undefined> {
  return vscode.window.showInputBox({
    title: vscode.l10n.t('Telegram: Import Apprise URL'),
    prompt: vscode.l10n.t(
      'An Apprise Telegram URL. It holds the bot token, which goes to secret storage.',
    ),
    placeHolder: 'tgram://123456789:AAE…/-1001234567890:42/?format=html',
    password: true,
    ignoreFocusOut: true,
    validateInput: (text) => {
      if (!text.trim()) return undefined;
      try {
        parseAppriseUrl(text);
        return undefined;
      } catch (err) {
        return err instanceof AppriseUrlError ? err.message : undefined;
      }
    },
  });
}

export interface CopyAppriseArgs {
  botId?: string;
  /** The caller has already told the user that the URL contains the token: no modal. */
  confirmed?: boolean;
}

/**
 * Copies the setup of one bot (token, its pinned chats, format) as an Apprise URL to the
 * clipboard. Resolves to whether it copied; the URL itself is never returned.
 */
export async function copyAppriseUrl(
  deps: ChatCommandDeps,
  args: CopyAppriseArgs = {},
): Promise<boolean> {
  const bot = await chooseBot(deps, args.botId, vscode.l10n.t('Telegram: Copy as Apprise URL'));
  if (!bot) return false;
  const defaultBot = (await deps.tokens.bots())[0]?.botId;
  const chats = deps.settings
    .chats()
    .filter((c) => (c.botId ?? defaultBot) === bot.botId)
    .map((c) => (c.topicId ? { chatId: c.id, topicId: c.topicId } : { chatId: c.id }));

  const warning = vscode.l10n.t(
    'The Apprise URL contains the token of @{0}: anyone who has it can send messages as the ' +
      'bot. Keep it out of repositories, chats and shared logs.',
    bot.username,
  );
  if (!args.confirmed) {
    const copy = vscode.l10n.t('Copy');
    const choice = await vscode.window.showWarningMessage(
      vscode.l10n.t('Copy the setup as an Apprise URL?'),
      { modal: true, detail: warning },
      copy,
    );
    if (choice !== copy) return false;
  }

  const format = deps.settings.render().format;
  // Messages go out without link previews, so preview=no describes them faithfully.
  await vscode.env.clipboard.writeText(
    formatAppriseUrl({ token: bot.token, targets: chats, format, preview: false }),
  );
  deps.log.info(`Copied the Apprise URL of bot ${bot.botId} (${chats.length} chat(s)).`);
  deps.notices.warn(
    vscode.l10n.t('Copied the Apprise URL ({0} chat(s)). {1}', chats.length, warning),
  );
  return true;
}
