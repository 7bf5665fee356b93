/**
 * Failures in the user's terms: what happened and what to do next. The texts name chats and
 * the API address, never the token.
 */
import { TelegramApiError, TelegramTransportError } from './errors';
import { describeError } from './redact';

export interface ExplainContext {
  /** The Bot API address in use, shown when it could not be reached. */
  baseUrl: string;
  /** The chat a send was for, as the user knows it. */
  chat?: string;
}

export type FailureKind =
  | 'token-rejected'
  | 'bot-blocked'
  | 'bot-not-member'
  | 'not-started'
  | 'chat-not-found'
  | 'topic-not-found'
  | 'rate-limited'
  | 'unreachable'
  | 'bad-reply'
  | 'webhook-active'
  | 'rival-poller'
  | 'other';

/** Sorts a failure into the conditions the user can act on. */
export function classifyFailure(err: unknown): FailureKind {
  if (err instanceof TelegramTransportError) {
    return err.failure === 'bad-reply' ? 'bad-reply' : 'unreachable';
  }
  if (!(err instanceof TelegramApiError)) return 'other';
  const text = err.description.toLowerCase();
  switch (err.errorCode) {
    case 401:
      return 'token-rejected';
    case 403:
      if (text.includes('blocked')) return 'bot-blocked';
      if (text.includes("can't initiate")) return 'not-started';
      return 'bot-not-member';
    case 409:
      return text.includes('webhook') ? 'webhook-active' : 'rival-poller';
    case 429:
      return 'rate-limited';
    case 400:
      if (text.includes('thread not found')) return 'topic-not-found';
      if (text.includes('chat not found')) return 'chat-not-found';
      return 'other';
    default:
      return 'other';
  }
}

export function explainFailure(err: unknown, context: ExplainContext): string {
  const chat = context.chat ? `chat ${context.chat}` : 'the chat';
  switch (classifyFailure(err)) {
    case 'token-rejected':
      return (
        'Telegram rejected the bot token (401 Unauthorized): it is wrong or was revoked. ' +
        'Get the current token from @BotFather (/mybots, then API Token) and run ' +
        '"Telegram: Set Bot Token" again.'
      );
    case 'bot-blocked':
      return `The bot was blocked in ${chat}. Unblock it in Telegram, then send a test message.`;
    case 'not-started':
      return `The bot may not write to ${chat} yet: open the bot in Telegram and press Start.`;
    case 'bot-not-member':
      return `The bot is not a member of ${chat} (it was removed or never added). Add it back.`;
    case 'chat-not-found':
      return (
        `Telegram knows no ${chat} for this bot. Group ids start with a minus sign ` +
        '(supergroups and channels with -100), and the bot must be a member of the chat.'
      );
    case 'topic-not-found':
      return `The forum topic in ${chat} no longer exists. Pin the chat again to choose a topic.`;
    case 'rate-limited': {
      const wait = (err as TelegramApiError).parameters.retry_after;
      return `Telegram is limiting how fast the bot may send${wait ? ` (retry in ${wait} s)` : ''}.`;
    }
    case 'webhook-active':
      return (
        'This bot has a webhook set, so Telegram does not hand its messages to other programs. ' +
        'Another service uses this bot; use a bot of your own, or delete the webhook.'
      );
    case 'rival-poller':
      return (
        "Another program is reading this bot's messages at the same time. " +
        'Stop it, or use a separate bot for VS Code.'
      );
    case 'unreachable':
      return (
        `Could not reach the Telegram Bot API at ${context.baseUrl} ` +
        `(${describeError(err)}). Check the network connection and the http.proxy setting.`
      );
    case 'bad-reply':
      return (
        `Something at ${context.baseUrl} answered, but not as the Telegram Bot API does ` +
        `(${describeError(err)}). Check telegramNotifier.apiBaseUrl and http.proxy.`
      );
    default:
      return `Telegram could not complete the request: ${describeError(err)}.`;
  }
}
