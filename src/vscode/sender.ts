import { type PinnedChat, describeChat } from '../core/chats';
import { type OutgoingMessage, sendToChat } from '../core/delivery';
import { classifyFailure, explainFailure } from '../core/explain';
import type { Logger } from '../core/log';
import { describeError } from '../core/redact';
import type { Settings } from './settings';
import type { TelegramClients } from './telegram';
import type { TokenStore } from './token-store';
import type { Action, UserNotices } from './ui';

/**
 * Sends messages for the notifier and turns failures into at most one notice per condition
 * (a revoked token is reported once, not once per finished task).
 */
export class Sender {
  private readonly noticed = new Set<string>();

  constructor(
    private readonly tokens: TokenStore,
    private readonly clients: TelegramClients,
    private readonly settings: Settings,
    private readonly notices: UserNotices,
    private readonly log: Logger,
  ) {}

  /** Sends; never throws. Resolves true when Telegram accepted the message. */
  async send(chat: PinnedChat, message: OutgoingMessage): Promise<boolean> {
    const token = await this.tokens.token(chat.botId);
    if (!token) {
      this.noticeOnce('no-token', 'No bot token is set, so the notification was not sent.', {
        title: 'Set Bot Token',
        command: 'telegramNotifier.setToken',
      });
      return false;
    }

    try {
      const sent = await sendToChat(this.clients.client(token), chat, message, this.log, {
        onChatMigrated: (old, newId) => this.followMigration(old, newId),
      });
      this.log.info(`Delivered message ${sent.message_id} to ${describeChat(chat)}.`);
      this.noticed.clear();
      return true;
    } catch (err) {
      this.reportFailure(chat, err);
      return false;
    }
  }

  private reportFailure(chat: PinnedChat, err: unknown): void {
    const kind = classifyFailure(err);
    this.log.error(`Sending to ${describeChat(chat)} failed: ${describeError(err)}`);
    const text = explainFailure(err, {
      baseUrl: this.settings.apiBaseUrl(),
      chat: describeChat(chat),
    });
    const action: Action =
      kind === 'token-rejected'
        ? { title: 'Set Bot Token', command: 'telegramNotifier.setToken' }
        : { title: 'Show Log', command: 'telegramNotifier.showLog' };
    this.noticeOnce(`${kind}:${chat.id}`, text, action);
  }

  private async followMigration(old: PinnedChat, newId: number): Promise<void> {
    const chats = this.settings
      .chats()
      .map((c) => (c.id === old.id ? { ...c, id: newId, type: 'supergroup' as const } : c));
    await this.settings.setChats(chats);
    this.notices.info(
      `${describeChat(old)} became a supergroup; the pinned chat now uses id ${newId}.`,
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
