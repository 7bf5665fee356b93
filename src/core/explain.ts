/**
 * Failures in the user's terms: what happened and what to do next. The texts name chats and
 * the API address, never the token.
 */
import { TelegramApiError, TelegramTransportError } from './errors';
import { type Localizer, english } from './l10n';
import { MASK, describeError, redact } from './redact';

export interface ExplainContext {
  /** The Bot API address in use, shown when it could not be reached. */
  baseUrl: string;
  /** The chat a send was for, as the user knows it. */
  chat?: string;
  /** The language of the texts; English when not given. */
  l10n?: Localizer;
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
  const l10n = context.l10n ?? english;
  const chat = context.chat ? l10n.t('chat {0}', context.chat) : l10n.t('the chat');
  switch (classifyFailure(err)) {
    case 'token-rejected':
      return l10n.t(
        'Telegram rejected the bot token (401 Unauthorized): it is wrong or was revoked. ' +
          'Get the current token from @BotFather (/mybots, then API Token) and run ' +
          '"Telegram: Set Bot Token" again.',
      );
    case 'bot-blocked':
      return l10n.t(
        'The bot was blocked in {0}. Unblock it in Telegram, then send a test message.',
        chat,
      );
    case 'not-started':
      return l10n.t(
        'The bot may not write to {0} yet: open the bot in Telegram and press Start.',
        chat,
      );
    case 'bot-not-member':
      return l10n.t(
        'The bot is not a member of {0} (it was removed or never added). Add it back.',
        chat,
      );
    case 'chat-not-found':
      return l10n.t(
        'Telegram knows no {0} for this bot. Group ids start with a minus sign ' +
          '(supergroups and channels with -100), and the bot must be a member of the chat.',
        chat,
      );
    case 'topic-not-found':
      return l10n.t(
        'The forum topic in {0} no longer exists. Pin the chat again to choose a topic.',
        chat,
      );
    case 'rate-limited': {
      const wait = (err as TelegramApiError).parameters.retry_after;
      return wait
        ? l10n.t('Telegram is limiting how fast the bot may send (retry in {0} s).', wait)
        : l10n.t('Telegram is limiting how fast the bot may send.');
    }
    case 'webhook-active':
      return l10n.t(
        'This bot has a webhook set, so Telegram does not hand its messages to other ' +
          'programs. Another service uses this bot; use a bot of your own, or delete the webhook.',
      );
    case 'rival-poller':
      return l10n.t(
        "Another program is reading this bot's messages at the same time. " +
          'Stop it, or use a separate bot for VS Code.',
      );
    case 'unreachable':
      return l10n.t(
        'Could not reach the Telegram Bot API at {0} ({1}). Check the network connection ' +
          'and the http.proxy setting.',
        withoutCredentials(context.baseUrl),
        describeError(err),
      );
    case 'bad-reply':
      return l10n.t(
        'Something at {0} answered, but not as the Telegram Bot API does ({1}). Check ' +
          'telegramNotifier.apiBaseUrl and http.proxy.',
        withoutCredentials(context.baseUrl),
        describeError(err),
      );
    default:
      return l10n.t('Telegram could not complete the request: {0}.', describeError(err));
  }
}

/**
 * The address as it may be shown: a `user:password@` in it (a local Bot API server behind
 * basic auth) is masked, like a token would be.
 */
export function withoutCredentials(address: string): string {
  try {
    const url = new URL(address);
    if (!url.username && !url.password) return redact(address);
    url.username = MASK;
    url.password = '';
    return redact(url.toString());
  } catch {
    return redact(address);
  }
}
