import * as vscode from 'vscode';
import { type PinnedChat, describeChat } from '../core/chats';
import { type OutgoingMessage, sendToChat } from '../core/delivery';
import type { Logger } from '../core/log';
import type { QueuedMessage } from '../core/outbox';
import {
  type Condition,
  type DeliveryProblem,
  DeliveryQueue,
  type QueueState,
} from '../core/queue';
import { describeError } from '../core/redact';
import type { FileOutbox } from './outbox';
import type { Settings } from './settings';
import type { TelegramClients } from './telegram';
import { explain } from './l10n';
import type { TokenStore } from './token-store';
import type { Action, UserNotices } from './ui';

const SET_TOKEN = (): Action => ({
  title: vscode.l10n.t('Set Bot Token'),
  command: 'telegramNotifier.setToken',
});
const SEND_TEST = (): Action => ({
  title: vscode.l10n.t('Send Test Message'),
  command: 'telegramNotifier.sendTest',
});
const SHOW_LOG = (): Action => ({
  title: vscode.l10n.t('Show Log'),
  command: 'telegramNotifier.showLog',
});

/**
 * Delivers messages for the notifier through the {@link DeliveryQueue} (persisted in the
 * window's {@link FileOutbox}), and turns failures into at most one notice per condition,
 * each with a button for the next step: a revoked token is reported once, not once per task.
 */
export class Sender {
  private readonly noticed = new Set<string>();
  private readonly queue: DeliveryQueue;

  constructor(
    private readonly tokens: TokenStore,
    private readonly clients: TelegramClients,
    private readonly settings: Settings,
    private readonly notices: UserNotices,
    private readonly log: Logger,
    private readonly outbox: FileOutbox,
    onStateChange: (state: QueueState) => void = () => undefined,
  ) {
    this.queue = new DeliveryQueue({
      api: async (botId) => {
        const token = await this.tokens.token(botId);
        return token ? this.clients.client(token) : undefined;
      },
      store: outbox,
      log,
      stillOwner: () => outbox.stillOwner(),
      onChatMigrated: (old, newId) => this.followMigration(old, newId),
      onNotice: (problem) => this.tell(problem),
      onDelivered: () => this.noticed.clear(),
      onStateChange,
    });
  }

  /** Adopts messages left by closed windows and earlier sessions, and keeps doing so. */
  start(): void {
    void this.outbox.start((messages) => this.adopt(messages));
  }

  /** Queues a notification; it is delivered (and retried) in the background. */
  enqueue(chat: PinnedChat, message: OutgoingMessage): void {
    this.queue.enqueue(chat, message);
  }

  /** Sends messages that wait for the user's fix (a new token, an unblocked bot) again. */
  resume(): void {
    this.noticed.clear();
    this.queue.resume();
  }

  state(): QueueState {
    return this.queue.state();
  }

  /** Messages not yet delivered by this window. */
  pending(): readonly QueuedMessage[] {
    return this.queue.messages();
  }

  /**
   * Sends at once, bypassing the queue: for the test message, whose result the user waits
   * for. Never throws; resolves true when Telegram accepted the message. A success also
   * retries whatever waits in the queue, since the user has evidently fixed something.
   */
  async send(chat: PinnedChat, message: OutgoingMessage): Promise<boolean> {
    const token = await this.tokens.token(chat.botId);
    if (!token) {
      const text = vscode.l10n.t('No bot token is set, so the message was not sent.');
      this.noticeOnce('no-token', text, SET_TOKEN());
      return false;
    }

    try {
      const sent = await sendToChat(this.clients.client(token), chat, message, this.log, {
        onChatMigrated: (old, newId) => this.followMigration(old, newId),
      });
      this.log.info(`Delivered message ${sent.message_id} to ${describeChat(chat)}.`);
      if (this.queue.state().held.length > 0) this.resume();
      this.noticed.clear();
      return true;
    } catch (err) {
      this.log.error(`Sending to ${describeChat(chat)} failed: ${describeError(err)}`);
      this.tell({ condition: 'other', chat, error: err, failures: 1, outcome: 'held', count: 1 });
      return false;
    }
  }

  /** Stops sending and hands what is left to the next window or session. */
  dispose(): void {
    this.outbox.release(this.queue.messages());
    // A send in flight may still finish; record its outcome if the host lives long enough.
    void this.queue.stop().then(() => this.outbox.release(this.queue.messages()));
  }

  private adopt(messages: QueuedMessage[]): void {
    const added = this.queue.restore(messages);
    if (added > 0) this.log.info(`Queued ${added} message(s) left undelivered by another window.`);
  }

  private tell(problem: DeliveryProblem): void {
    const chat = describeChat(problem.chat);
    if (problem.condition === 'no-token') {
      const text = vscode.l10n.t(
        'No bot token is set, so {0} notification(s) wait to be sent.',
        problem.count,
      );
      this.noticeOnce('no-token', text, SET_TOKEN());
      return;
    }
    let text = this.describe(problem, chat);
    if (problem.outcome === 'held') text += vscode.l10n.t(' Notifications for it wait until then.');
    if (problem.outcome === 'retry') {
      text += vscode.l10n.t(' Notifications wait and are sent when it answers.');
    }
    if (problem.outcome === 'dropped') text += vscode.l10n.t(' That notification was not sent.');
    this.noticeOnce(`${problem.condition}:${problem.chat.id}`, text, actionFor(problem));
  }

  /** The notice's first sentence: what went wrong, in the user's terms. */
  private describe(problem: DeliveryProblem, chat: string): string {
    if (problem.condition === 'migration-loop') {
      return vscode.l10n.t(
        'Telegram keeps saying {0} moved to another chat, which a group does only once.',
        chat,
      );
    }
    if (problem.condition === 'internal-error') {
      return vscode.l10n.t(
        'VS Code could not prepare the notification ({0}).',
        describeError(problem.error),
      );
    }
    return explain(problem.error, { baseUrl: this.settings.apiBaseUrl(), chat });
  }

  private async followMigration(old: PinnedChat, newId: number): Promise<void> {
    // A "move" to the same id changes nothing; rewriting settings for it would only be noise.
    if (newId === old.id) return;
    const chats = this.settings
      .chats()
      .map((c) => (c.id === old.id ? { ...c, id: newId, type: 'supergroup' as const } : c));
    await this.settings.setChats(chats);
    this.notices.info(
      vscode.l10n.t(
        '{0} became a supergroup; the pinned chat now uses id {1}.',
        describeChat(old),
        newId,
      ),
    );
  }

  private noticeOnce(key: string, text: string, action: Action): void {
    if (this.noticed.has(key)) {
      this.log.debug(`Not repeating a notice: ${text}`);
      return;
    }
    this.noticed.add(key);
    this.notices.error(text, action);
  }
}

/** A few words for a held condition, for the status bar's tooltip. */
export function conditionLabel(condition: Condition): string {
  switch (condition) {
    case 'no-token':
      return vscode.l10n.t('no bot token');
    case 'token-rejected':
      return vscode.l10n.t('the token was rejected');
    case 'bot-blocked':
      return vscode.l10n.t('the bot is blocked');
    case 'bot-not-member':
      return vscode.l10n.t('the bot is not in the chat');
    case 'not-started':
      return vscode.l10n.t('the bot was never started');
    case 'chat-not-found':
      return vscode.l10n.t('the chat was not found');
    case 'topic-not-found':
      return vscode.l10n.t('the topic was not found');
    case 'migration-loop':
      return vscode.l10n.t('the chat keeps moving');
    default:
      return vscode.l10n.t('see the log');
  }
}

function actionFor(problem: DeliveryProblem): Action {
  switch (problem.condition) {
    case 'token-rejected':
      return SET_TOKEN();
    case 'bot-blocked':
    case 'bot-not-member':
    case 'not-started':
    case 'chat-not-found':
    case 'topic-not-found':
      return SEND_TEST();
    default:
      return SHOW_LOG();
  }
}
