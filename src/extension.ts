/**
 * The composition root: builds the services, subscribes to the editor's events and registers
 * the commands. Nothing here talks to the network; the HTTP stack loads on first use.
 */
import * as vscode from 'vscode';
import { Notifier } from './core/notifier';
import { renderRun } from './core/render';
import { registerCommands } from './vscode/commands';
import { watchDebugSessions } from './vscode/debug-events';
import { createLog } from './vscode/log';
import { MuteState, clockTime, registerMuteCommands } from './vscode/mute';
import { registerChatCommands } from './vscode/pin-commands';
import { FileOutbox } from './vscode/outbox';
import { Sender, conditionLabel } from './vscode/sender';
import { Settings } from './vscode/settings';
import { StatusItem } from './vscode/status';
import { watchTasks } from './vscode/task-events';
import { watchTerminalCommands } from './vscode/terminal-events';
import { TelegramClients } from './vscode/telegram';
import { type StoredBot, TokenStore } from './vscode/token-store';
import { UserNotices } from './vscode/ui';
import { type SetupFacts, SetupContext } from './vscode/walkthrough';
import { reportWorkspaceOverrides } from './vscode/workspace-overrides';

/** What other extensions (and our host tests) may call. */
export interface TelegramNotifierApi {
  /** The bots whose tokens are in secret storage (ids and usernames only). */
  listBots(): Promise<StoredBot[]>;
  /** What is set up, as the walkthrough and the command palette see it (context keys). */
  setupFacts(): SetupFacts;
}

export function activate(context: vscode.ExtensionContext): TelegramNotifierApi {
  const tokens = new TokenStore(context.secrets);
  const { channel, log } = createLog(() => tokens.knownSecrets());
  const settings = new Settings(log);
  const clients = new TelegramClients(settings);
  const notices = new UserNotices(log);
  const setup = new SetupContext();
  const status = new StatusItem(() => setup.snapshot());
  const outbox = new FileOutbox(context.globalStorageUri.fsPath, log);
  const sender = new Sender(tokens, clients, settings, notices, log, outbox, () => {
    void refreshStatus();
  });
  const mute = new MuteState(context.globalStorageUri.fsPath, () => void refreshStatus());

  const notifier = new Notifier({
    filterSettings: () => settings.filter(),
    filterContext: () => ({
      windowFocused: vscode.window.state.focused,
      mutedUntil: mute.refresh(),
      now: Date.now(),
    }),
    render: (run) => {
      const message = renderRun(run, { ...settings.render(), secrets: tokens.knownSecrets() });
      for (const problem of message.problems) log.warn(`telegramNotifier.template: ${problem}.`);
      return message;
    },
    chats: () => settings.chats(),
    send: async (chat, message) => sender.enqueue(chat, message),
    log,
  });

  const refreshStatus = async () => {
    const hasToken = (await tokens.bots()).length > 0;
    const hasChat = settings.chats().length > 0;
    const mutedUntil = mute.mutedUntil();
    await setup.update({ hasToken, hasChat, muted: mutedUntil !== undefined });

    const queue = sender.state();
    if (queue.held.length > 0) {
      const waiting = vscode.l10n.t(
        '{0} message(s) wait: {1}',
        queue.pending,
        queue.held.map(conditionLabel).join(', '),
      );
      return status.show('attention', waiting);
    }
    if (queue.pending > 0) return status.show('sending', undefined, queue.pending);
    if (mutedUntil !== undefined) {
      return status.show('muted', vscode.l10n.t('Until {0}', clockTime(mutedUntil)));
    }
    status.show(hasToken && hasChat ? 'ready' : 'not-set-up');
  };

  context.subscriptions.push(
    channel,
    clients,
    status,
    sender,
    mute,
    reportWorkspaceOverrides(log),
    watchTasks((run) => void notifier.report(run)),
    watchDebugSessions((run) => void notifier.report(run)),
    watchTerminalCommands((run) => void notifier.report(run)),
    ...registerMuteCommands(mute, notices, log),
    ...registerCommands({
      tokens,
      clients,
      settings,
      sender,
      notices,
      log,
      showLog: () => channel.show(true),
      onTestDelivered: () => void setup.update({ testDelivered: true }),
      onBotsChanged: () => {
        sender.resume();
        void refreshStatus();
      },
    }),
    ...registerChatCommands({
      tokens,
      clients,
      settings,
      notices,
      log,
      storagePath: context.globalStorageUri.fsPath,
      onBotsChanged: () => void refreshStatus(),
    }),
    // Another window may have muted or unmuted meanwhile.
    vscode.window.onDidChangeWindowState((state) => state.focused && mute.refresh()),
    // A token set or removed in another window: messages this one holds for it may go now.
    context.secrets.onDidChange(() => {
      log.debug('Secret storage changed (this or another window); retrying held messages.');
      sender.resume();
      void refreshStatus();
    }),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('telegramNotifier.chats')) sender.resume();
      if (e.affectsConfiguration('telegramNotifier')) void refreshStatus();
    }),
  );
  sender.start();
  void refreshStatus();
  log.info('Telegram Notifier is active.');

  return { listBots: () => tokens.bots(), setupFacts: () => setup.snapshot() };
}

export function deactivate(): void {}
