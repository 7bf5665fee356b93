/**
 * A small Bot API client: one method per call the extension makes, typed results, and the
 * two error kinds of `errors.ts`. Nothing it throws or logs contains the token.
 */
import { TelegramApiError, TelegramTransportError } from './errors';
import { describeError, redact } from './redact';
import type {
  ChatFullInfo,
  Message,
  ResponseParameters,
  SendMessageParams,
  Update,
  User,
  WebhookInfo,
} from './telegram-types';
import { type HttpTransport, TransportFailureError } from './transport';

export const DEFAULT_API_BASE_URL = 'https://api.telegram.org';

export interface BotApiOptions {
  token: string;
  transport: HttpTransport;
  /** Defaults to Telegram's; a local Bot API server or a test emulator may stand in. */
  baseUrl?: string;
  /** Per request; a long-polling getUpdates adds its own `timeout` on top. */
  timeoutMs?: number;
}

interface BotApiReply<T> {
  ok: boolean;
  result?: T;
  error_code?: number;
  description?: string;
  parameters?: ResponseParameters;
}

export class BotApiClient {
  private readonly base: string;
  private readonly timeoutMs: number;

  constructor(private readonly options: BotApiOptions) {
    const base = (options.baseUrl || DEFAULT_API_BASE_URL).replace(/\/+$/, '');
    this.base = `${base}/bot${options.token}/`;
    this.timeoutMs = options.timeoutMs ?? 15_000;
  }

  getMe(signal?: AbortSignal): Promise<User> {
    return this.call('getMe', {}, signal);
  }

  /** Long-polls for up to `timeout` seconds; see https://core.telegram.org/bots/api#getupdates */
  getUpdates(
    params: { offset?: number; limit?: number; timeout?: number; allowed_updates?: string[] },
    signal?: AbortSignal,
  ): Promise<Update[]> {
    const extraMs = (params.timeout ?? 0) * 1000;
    return this.call('getUpdates', params, signal, this.timeoutMs + extraMs);
  }

  sendMessage(params: SendMessageParams, signal?: AbortSignal): Promise<Message> {
    return this.call('sendMessage', params, signal);
  }

  getChat(chatId: number | string, signal?: AbortSignal): Promise<ChatFullInfo> {
    return this.call('getChat', { chat_id: chatId }, signal);
  }

  getWebhookInfo(signal?: AbortSignal): Promise<WebhookInfo> {
    return this.call('getWebhookInfo', {}, signal);
  }

  deleteWebhook(signal?: AbortSignal): Promise<boolean> {
    return this.call('deleteWebhook', { drop_pending_updates: false }, signal);
  }

  /**
   * Makes one call. A reply is a Bot API answer when its body is JSON with a boolean `ok`,
   * whatever the HTTP status: Telegram sends 200 for success and 4xx with `ok:false`, but a
   * proxy or a broken server can send 200 with `ok:false` or 502 with an HTML page.
   */
  async call<T>(
    method: string,
    params: object,
    signal?: AbortSignal,
    timeoutMs = this.timeoutMs,
  ): Promise<T> {
    if (!isHttpUrl(this.base)) {
      throw new TelegramTransportError(
        method,
        'network',
        'telegramNotifier.apiBaseUrl is not a web address; write it as https://host or ' +
          'http://host:port (the default is https://api.telegram.org)',
      );
    }
    let reply;
    try {
      reply = await this.options.transport.postJson(this.base + method, JSON.stringify(params), {
        timeoutMs,
        signal,
      });
    } catch (err) {
      const kind = err instanceof TransportFailureError ? err.kind : 'network';
      throw new TelegramTransportError(method, kind, this.scrub(describeError(err)));
    }

    const answer = parseReply<T>(reply.body);
    if (!answer) {
      // Scrub before the final cut: a cut inside an echoed token would leave part of it
      // unmasked. The first cut, well past any token that could reach into the snippet,
      // keeps a huge error page from costing a scan of all of it.
      const head = reply.body.slice(0, 1000);
      const snippet = this.scrub(head).replace(/\s+/g, ' ').slice(0, 120);
      const detail = `HTTP ${reply.status}, not a Bot API reply: ${snippet || '(empty body)'}`;
      throw new TelegramTransportError(method, 'bad-reply', detail, reply.status);
    }
    if (!answer.ok) {
      throw new TelegramApiError(
        method,
        answer.error_code ?? reply.status,
        this.scrub(answer.description ?? 'no description'),
        answer.parameters ?? {},
      );
    }
    return answer.result as T;
  }

  private scrub(text: string): string {
    return redact(text, [this.options.token]);
  }
}

function parseReply<T>(body: string): BotApiReply<T> | undefined {
  try {
    const value: unknown = JSON.parse(body);
    if (value && typeof value === 'object' && typeof (value as BotApiReply<T>).ok === 'boolean') {
      return value as BotApiReply<T>;
    }
  } catch {
    // Not JSON: reported by the caller as a bad reply.
  }
  return undefined;
}

function isHttpUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return url.protocol === 'https:' || url.protocol === 'http:';
  } catch {
    return false;
  }
}
