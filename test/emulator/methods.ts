import { memberObject } from './actors';
import { ApiError, conflict, notFound } from './errors';
import { type Params, boolParam, intParam, listParam } from './params';
import { type SendDeps, readableChat, sendMessage } from './send';
import type { TgChatMember } from './types';
import { type BotRecord, chatShape } from './world';

/** A successful answer: `{"ok":true,"result":...,"description"?}`. */
export interface MethodSuccess {
  result: unknown;
  description?: string;
}

/** What the server sends back for one call, or 'gone' when the client left first. */
export type Answer = { status: number; body: Record<string, unknown> } | 'gone';

interface Call {
  bot: BotRecord;
  params: Params;
  signal: AbortSignal;
}

type Handler = (call: Call) => MethodSuccess | Promise<MethodSuccess>;

/** Thrown by a long poll whose client hung up: nobody is left to answer. */
class ClientGone extends Error {}

const WEBHOOK_PORTS = new Set(['80', '88', '443', '8443']);

/**
 * The Bot API methods the emulator serves, behind Telegram's own checks: token format,
 * token validity, then the method name (case-insensitive, as on Telegram).
 */
export class Methods {
  private readonly handlers = new Map<string, Handler>();

  constructor(private readonly deps: SendDeps) {
    const table: Record<string, Handler> = {
      getMe: ({ bot }) => ({ result: this.getMe(bot) }),
      getUpdates: (call) => this.getUpdates(call),
      sendMessage: ({ bot, params }) => ({ result: sendMessage(this.deps, bot, params) }),
      getChat: ({ bot, params }) => this.getChat(bot, params),
      getChatMember: ({ bot, params }) => this.getChatMember(bot, params),
      setWebhook: ({ bot, params }) => this.setWebhook(bot, params),
      deleteWebhook: ({ bot, params }) => this.deleteWebhook(bot, params),
      getWebhookInfo: ({ bot }) => this.getWebhookInfo(bot),
    };
    for (const [name, handler] of Object.entries(table))
      this.handlers.set(name.toLowerCase(), handler);
  }

  /** Answers one call to `/bot<token>/<method>`. */
  async dispatch(
    token: string,
    method: string,
    params: Params,
    signal: AbortSignal,
  ): Promise<Answer> {
    try {
      const bot = this.authenticate(token);
      const handler = this.handlers.get(method.toLowerCase());
      if (handler === undefined) throw notFound();

      const { result, description } = await handler({ bot, params, signal });
      const body: Record<string, unknown> = { ok: true, result };
      if (description !== undefined) body.description = description;
      return { status: 200, body };
    } catch (error) {
      if (error instanceof ClientGone) return 'gone';
      if (error instanceof ApiError)
        return { status: error.errorCode, body: { ...error.toBody() } };
      throw error;
    }
  }

  /**
   * Token checks of Telegram's Bot API server (ClientManager::send): a malformed token is
   * refused before any lookup, a well-formed but unknown or revoked one after it.
   */
  private authenticate(token: string): BotRecord {
    const colon = token.indexOf(':');
    if (token === '' || token.startsWith('0') || token.length > 80 || colon === -1) {
      throw new ApiError(401, 'Unauthorized: invalid token specified');
    }
    if (!/^\d+$/.test(token.slice(0, colon))) {
      throw new ApiError(421, 'Misdirected Request: unallowed token specified');
    }
    const bot = this.deps.world.bots.get(token);
    if (bot === undefined || bot.revoked) {
      throw new ApiError(401, 'Unauthorized');
    }
    return bot;
  }

  private getMe(bot: BotRecord) {
    return {
      ...bot.user,
      can_join_groups: true,
      can_read_all_group_messages: !bot.privacyMode,
      supports_inline_queries: false,
      can_connect_to_business: false,
      has_main_web_app: false,
    };
  }

  private async getUpdates({ bot, params, signal }: Call): Promise<MethodSuccess> {
    const queue = bot.queue;
    if (bot.webhook !== undefined) {
      throw conflict(
        "can't use getUpdates method while webhook is active; " +
          'use deleteWebhook to delete the webhook first',
      );
    }

    // A newer request always wins; the one still waiting is told why it lost.
    queue.interrupt('conflict');
    queue.setAllowed(listParam(params.allowed_updates));
    queue.confirm(intParam(params.offset) ?? 0);
    const requested = intParam(params.limit) ?? 100;
    const limit = requested >= 1 && requested <= 100 ? requested : 100;
    const timeoutSeconds = Math.max(0, Number(params.timeout ?? 0) || 0);

    const ready = queue.peek(limit);
    if (ready.length > 0 || timeoutSeconds === 0) return { result: ready };

    const outcome = await queue.wait(timeoutSeconds * 1000, signal);
    if (outcome === 'conflict') {
      throw conflict(
        'terminated by other getUpdates request; make sure that only one bot instance is running',
      );
    }
    if (outcome === 'closed') throw new ClientGone();
    return { result: queue.peek(limit) };
  }

  private getChat(bot: BotRecord, params: Params): MethodSuccess {
    const chat = readableChat(this.deps.world, bot, params.chat_id);
    return { result: { ...chatShape(chat), accent_color_id: 0, max_reaction_count: 11 } };
  }

  /** Only the bot itself and known users; the emulator does not track who is in a group. */
  private getChatMember(bot: BotRecord, params: Params): MethodSuccess {
    const chat = readableChat(this.deps.world, bot, params.chat_id);
    const userId = intParam(params.user_id);
    let member: TgChatMember;

    if (userId === bot.id) {
      member = memberObject(bot.user, bot.memberships.get(chat.id) ?? 'member', chat);
    } else {
      const user = userId === undefined ? undefined : this.deps.world.users.get(userId);
      if (user === undefined) throw new ApiError(400, 'Bad Request: user not found');
      member = { user, status: 'member' };
    }
    return { result: member };
  }

  private setWebhook(bot: BotRecord, params: Params): MethodSuccess {
    const url = String(params.url ?? '').trim();
    if (url === '') return this.deleteWebhook(bot, params);

    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw new ApiError(
        400,
        'Bad Request: bad webhook: Failed to resolve host: Name or service not known',
      );
    }
    if (parsed.protocol !== 'https:') {
      throw new ApiError(
        400,
        'Bad Request: bad webhook: An HTTPS URL must be provided for webhook',
      );
    }
    if (parsed.port !== '' && !WEBHOOK_PORTS.has(parsed.port)) {
      throw new ApiError(
        400,
        'Bad Request: bad webhook: Webhook can be set up only on ports 80, 88, 443 or 8443',
      );
    }

    if (boolParam(params.drop_pending_updates)) bot.queue.dropAll();
    bot.queue.setAllowed(listParam(params.allowed_updates));
    const already = bot.webhook?.url === url;
    bot.webhook = { url, maxConnections: intParam(params.max_connections) ?? 40 };
    // A pending long poll returns what it has; later polls get 409.
    bot.queue.interrupt('timeout');
    return { result: true, description: already ? 'Webhook is already set' : 'Webhook was set' };
  }

  private deleteWebhook(bot: BotRecord, params: Params): MethodSuccess {
    if (boolParam(params.drop_pending_updates)) bot.queue.dropAll();
    const had = bot.webhook !== undefined;
    bot.webhook = undefined;
    return {
      result: true,
      description: had ? 'Webhook was deleted' : 'Webhook is already deleted',
    };
  }

  /** The emulator never calls a webhook; it only keeps what was set, like a paused server. */
  private getWebhookInfo(bot: BotRecord): MethodSuccess {
    const info: Record<string, unknown> = {
      url: bot.webhook?.url ?? '',
      has_custom_certificate: false,
      pending_update_count: bot.queue.pendingCount(),
    };
    if (bot.webhook !== undefined) {
      info.max_connections = bot.webhook.maxConnections;
      const allowed = bot.queue.allowedKinds();
      if (allowed !== undefined) info.allowed_updates = allowed;
    }
    return { result: info };
  }
}
