/**
 * The delivery engine: one queue per chat, Telegram's flood limits applied before sending,
 * digests when messages arrive faster than a chat may receive them, and the retry policy of
 * `retry.ts`. Nothing is dropped unless Telegram says it can never be delivered; everything
 * waiting is handed to an {@link OutboxStore} so it survives the window.
 *
 * One message is in flight per chat at a time. When a chat's turn comes and several messages
 * wait for it, they go out as one digest that keeps each message's verdict line.
 */
import { type PinnedChat, describeChat, normalizeChatId } from './chats';
import { type OutgoingMessage, sendParams, toPlainText } from './delivery';
import type { FailureKind } from './explain';
import type { Logger } from './log';
import type { OutboxStore, QueuedMessage } from './outbox';
import { RateLimiter, type LimitKey, type RateLimits } from './rate-limit';
import { describeError } from './redact';
import { MAX_MESSAGE_LENGTH, escapeHtml } from './render';
import { DEFAULT_RETRY_POLICY, type RetryPolicy, backoff, decideRetry } from './retry';
import type { Message, SendMessageParams } from './telegram-types';

/** The clock and timer the queue uses; tests pass a fake one. */
export interface Timers {
  now(): number;
  /** Runs `fn` after `ms`; returns a function that cancels it. */
  schedule(fn: () => void, ms: number): () => void;
}

export const realTimers: Timers = {
  now: () => Date.now(),
  schedule(fn, ms) {
    const handle = setTimeout(fn, ms);
    handle.unref?.();
    return () => clearTimeout(handle);
  },
};

/** The one Bot API call the queue needs. */
export interface MessageApi {
  sendMessage(params: SendMessageParams): Promise<Message>;
}

/**
 * Why messages wait: a failure kind; no token stored for the chat's bot; Telegram moving a
 * chat that already moved (`migration-loop`); or a failure before anything reached
 * Telegram, such as secret storage that cannot be read (`internal-error`).
 */
export type Condition = FailureKind | 'no-token' | 'migration-loop' | 'internal-error';

/** Something the user may need to hear about; the editor layer decides whether to tell. */
export interface DeliveryProblem {
  condition: Condition;
  chat: PinnedChat;
  error?: unknown;
  /** Consecutive failures for this chat, this one included. */
  failures: number;
  /** What happens to the messages. */
  outcome: 'retry' | 'held' | 'dropped';
  /** For a retry: how long until the next attempt. */
  retryInMs?: number;
  /** For a 429: Telegram asked for a wait longer than the policy's `longRetryAfterMs`. */
  longWait?: boolean;
  /** Messages affected. */
  count: number;
}

export interface QueueState {
  /** Messages not yet delivered, held ones included. */
  pending: number;
  /** Conditions currently holding messages back until the user acts. */
  held: Condition[];
}

export interface DeliveryQueueDeps {
  /** The API of the chat's bot (undefined: the default bot); undefined when it has no token. */
  api(botId: string | undefined): Promise<MessageApi | undefined>;
  store: OutboxStore;
  log: Logger;
  timers?: Timers;
  limits?: RateLimits;
  policy?: RetryPolicy;
  /**
   * Asked before each send. False means another window took these messages over (this one
   * was thought gone); the queue then forgets them instead of sending them a second time.
   */
  stillOwner?(): Promise<boolean>;
  onChatMigrated?(chat: PinnedChat, newId: number): void | Promise<void>;
  onDelivered?(chat: PinnedChat, count: number): void;
  /** Every failed attempt, for the log and the status bar. */
  onProblem?(problem: DeliveryProblem): void;
  /**
   * A problem the user should hear about, at most once per condition (per bot or chat)
   * until it clears: every hold and drop, a 429 asking for a long wait, and a passing
   * failure once it repeats {@link DeliveryQueueDeps.noticeAfterFailures} times.
   */
  onNotice?(problem: DeliveryProblem): void;
  /** Consecutive failures before an outage-type problem is told; default 3. */
  noticeAfterFailures?: number;
  onStateChange?(state: QueueState): void;
  newId?(): string;
}

interface ChatState {
  failures: number;
  notBefore: number;
  held?: Condition;
  inFlight: boolean;
}

export class DeliveryQueue {
  private pending: QueuedMessage[] = [];
  private readonly chats = new Map<string, ChatState>();
  private readonly heldBots = new Map<string, Condition>();
  private readonly limiter: RateLimiter;
  private readonly timers: Timers;
  private readonly policy: RetryPolicy;
  private cancelWake: (() => void) | undefined;
  private wakeAt = Infinity;
  private inFlight = 0;
  private idleWaiters: (() => void)[] = [];
  /** Conditions already told to the user, keyed by condition and scope. */
  private readonly noticed = new Set<string>();
  private stopped = false;
  private seq = 0;

  constructor(private readonly deps: DeliveryQueueDeps) {
    this.limiter = new RateLimiter(deps.limits);
    this.timers = deps.timers ?? realTimers;
    this.policy = deps.policy ?? DEFAULT_RETRY_POLICY;
  }

  /** Queues one message for one chat and sends it as soon as the limits allow. */
  enqueue(chat: PinnedChat, message: OutgoingMessage): QueuedMessage {
    const id = this.deps.newId?.() ?? `${this.timers.now().toString(36)}-${++this.seq}`;
    const item: QueuedMessage = { id, chat: { ...chat }, message, queuedAt: this.timers.now() };
    this.pending.push(item);
    this.changed();
    this.pump();
    return item;
  }

  /** Adds messages read from storage (a previous session, a closed window); ids already queued are skipped. */
  restore(items: readonly QueuedMessage[]): number {
    const known = new Set(this.pending.map((m) => m.id));
    const fresh = items.filter((m) => !known.has(m.id));
    if (fresh.length === 0) return 0;
    this.pending.push(...fresh.map((m) => ({ ...m, chat: { ...m.chat } })));
    this.changed();
    this.pump();
    return fresh.length;
  }

  /** Lifts holds (after a new token, a re-pinned chat, or the user's retry) and sends again. */
  resume(): void {
    this.noticed.clear();
    this.heldBots.clear();
    for (const state of this.chats.values()) {
      state.held = undefined;
      state.notBefore = 0;
      state.failures = 0;
    }
    this.notifyState();
    this.pump();
  }

  /** Every message not yet delivered, oldest first. */
  messages(): readonly QueuedMessage[] {
    return this.pending;
  }

  state(): QueueState {
    const held = new Set<Condition>(this.heldBots.values());
    for (const state of this.chats.values()) if (state.held) held.add(state.held);
    return { pending: this.pending.length, held: [...held] };
  }

  /** When the queue will next try to send, or undefined when it waits for nothing. */
  nextAttemptAt(): number | undefined {
    return Number.isFinite(this.wakeAt) ? this.wakeAt : undefined;
  }

  /** Resolves when no send is in flight (sends started meanwhile are waited for too). */
  async settled(): Promise<void> {
    while (this.inFlight > 0) await new Promise<void>((resolve) => this.idleWaiters.push(resolve));
  }

  /**
   * Forgets every message without sending it: another window took them over. The store is
   * not told, since the messages now live in the other window's outbox.
   */
  abandon(): void {
    this.pending = [];
    this.chats.clear();
    this.notifyState();
  }

  /** Stops sending; waits (bounded) for a send in flight, so its outcome is recorded. */
  async stop(waitMs = 2_000): Promise<void> {
    this.stopped = true;
    this.cancelWake?.();
    this.cancelWake = undefined;
    this.wakeAt = Infinity;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((resolve) => (timer = setTimeout(resolve, waitMs)));
    await Promise.race([this.settled(), timeout]);
    clearTimeout(timer);
  }

  /** Starts whatever may start now and sets one timer for the earliest later attempt. */
  private pump(): void {
    if (this.stopped) return;
    this.cancelWake?.();
    this.cancelWake = undefined;
    const now = this.timers.now();
    let wake = Infinity;

    for (const [key, items] of this.byChat()) {
      const state = this.chatState(key);
      const chat = items[0].chat;
      if (state.inFlight || state.held || this.heldBots.has(chat.botId ?? '')) continue;
      if (state.notBefore > now) {
        wake = Math.min(wake, state.notBefore);
        continue;
      }
      const limitKey = limitKeyOf(chat);
      const waitMs = this.limiter.waitMs(limitKey, now);
      if (waitMs > 0) {
        wake = Math.min(wake, now + waitMs);
        continue;
      }
      // Send them one by one while the limits have room for all; merge them when not.
      const batch = this.limiter.room(limitKey, now) >= items.length ? items.slice(0, 1) : items;
      this.limiter.take(limitKey, now);
      void this.sendBatch(key, batch, limitKey);
    }

    this.wakeAt = wake;
    if (Number.isFinite(wake)) {
      this.cancelWake = this.timers.schedule(() => this.pump(), Math.max(0, wake - now));
    }
  }

  private async sendBatch(key: string, items: QueuedMessage[], limitKey: LimitKey): Promise<void> {
    const state = this.chatState(key);
    const sentAt = this.timers.now();
    state.inFlight = true;
    this.inFlight += 1;
    try {
      await this.attempt(key, state, items);
    } catch (err) {
      this.failedUnexpectedly(state, items, err);
    } finally {
      this.limiter.settle(limitKey, sentAt, this.timers.now());
      state.inFlight = false;
      this.inFlight -= 1;
      if (this.inFlight === 0) this.idleWaiters.splice(0).forEach((resolve) => resolve());
      this.pump();
    }
  }

  private async attempt(key: string, state: ChatState, items: QueuedMessage[]): Promise<void> {
    const chat = items[0].chat;
    const batch = composeBatch(items);
    if (this.deps.stillOwner && !(await this.deps.stillOwner())) {
      this.deps.log.warn('Another window took over the undelivered messages; leaving them to it.');
      this.abandon();
      return;
    }
    const api = await this.deps.api(chat.botId);
    if (!api) {
      this.heldBots.set(chat.botId ?? '', 'no-token');
      this.report({
        condition: 'no-token',
        chat,
        failures: 1,
        outcome: 'held',
        count: items.length,
      });
      return;
    }

    let message = batch.message;
    let triedPlain = false;
    for (;;) {
      try {
        const sent = await api.sendMessage(sendParams(chat, message));
        this.delivered(state, chat, batch.ids, sent);
        return;
      } catch (err) {
        const decision = decideRetry(err, state.failures + 1, triedPlain, this.policy);
        if (decision.action === 'plain-text') {
          this.deps.log.warn(`Telegram could not parse the message; resending as plain text.`);
          const text = toPlainText(message.text, message.parseMode);
          message = { ...message, text, parseMode: undefined };
          triedPlain = true;
          continue;
        }
        if (decision.action === 'migrate') {
          if (!mayMigrate(items, chat, decision.newId)) {
            this.refuseMigration(state, chat, batch.ids, err, decision.newId);
            return;
          }
          await this.migrate(key, chat, decision.newId);
          return;
        }
        this.failed(state, chat, batch.ids, err, decision);
        return;
      }
    }
  }

  private delivered(state: ChatState, chat: PinnedChat, ids: Set<string>, sent: Message): void {
    state.failures = 0;
    state.notBefore = 0;
    this.pending = this.pending.filter((m) => !ids.has(m.id));
    const what = ids.size > 1 ? `a digest of ${ids.size} messages` : 'message';
    this.deps.log.info(`Delivered ${what} to ${describeChat(chat)} (id ${sent.message_id}).`);
    this.forget((k) => !k.startsWith('held:'));
    this.changed();
    this.deps.onDelivered?.(chat, ids.size);
  }

  private failed(
    state: ChatState,
    chat: PinnedChat,
    ids: Set<string>,
    err: unknown,
    decision: ReturnType<typeof decideRetry>,
  ): void {
    state.failures += 1;
    const base = { chat, error: err, failures: state.failures, count: ids.size };
    const where = describeChat(chat);
    this.deps.log.warn(
      `Sending to ${where} failed (attempt ${state.failures}): ${describeError(err)}`,
    );

    if (decision.action === 'retry') {
      state.notBefore = this.timers.now() + decision.delayMs;
      this.deps.log.info(`Next attempt for ${where} in ${Math.round(decision.delayMs / 1000)} s.`);
      const extra = { retryInMs: decision.delayMs, longWait: decision.long };
      this.report({ ...base, condition: decision.condition, outcome: 'retry', ...extra });
    } else if (decision.action === 'hold') {
      if (decision.scope === 'bot') this.heldBots.set(chat.botId ?? '', decision.condition);
      else state.held = decision.condition;
      this.deps.log.warn(`Holding the messages for ${where} until the problem is fixed.`);
      this.report({ ...base, condition: decision.condition, outcome: 'held' });
    } else if (decision.action === 'drop') {
      this.pending = this.pending.filter((m) => !ids.has(m.id));
      this.deps.log.error(
        `Dropped ${ids.size} message(s) for ${where}: Telegram will never accept them.`,
      );
      this.changed();
      this.report({ ...base, condition: decision.condition, outcome: 'dropped' });
    }
  }

  /**
   * A failure outside Telegram's answers: the bot's API or the ownership check threw (secret
   * storage locked, a file system error). Retried like an outage, with the same back-off, and
   * told once it repeats as often as an outage must before it is told.
   */
  private failedUnexpectedly(state: ChatState, items: QueuedMessage[], err: unknown): void {
    const ids = new Set(items.map((m) => m.id));
    const left = this.pending.filter((m) => ids.has(m.id));
    if (left.length === 0) {
      this.deps.log.error(`Delivery failed unexpectedly: ${describeError(err)}`);
      return;
    }
    state.failures += 1;
    const delayMs = backoff(state.failures, this.policy);
    state.notBefore = this.timers.now() + delayMs;
    const chat = left[0].chat;
    this.deps.log.error(
      `Could not send to ${describeChat(chat)} (attempt ${state.failures}): ` +
        `${describeError(err)}. Next attempt in ${Math.round(delayMs / 1000)} s.`,
    );
    this.report({
      condition: 'internal-error',
      chat,
      error: err,
      failures: state.failures,
      outcome: 'retry',
      retryInMs: delayMs,
      count: left.length,
    });
  }

  /** Moves every message of the old chat to the new id and lets the caller re-pin it. */
  private async migrate(key: string, chat: PinnedChat, newId: number): Promise<void> {
    this.deps.log.warn(
      `Chat ${chat.id} became supergroup ${newId}; sending there and updating the pin.`,
    );
    for (const item of this.pending) {
      if (chatKey(item.chat) !== key) continue;
      item.migratedFrom ??= item.chat.id;
      item.chat = { ...item.chat, id: newId, type: 'supergroup' };
    }
    this.chats.delete(key);
    this.changed();
    try {
      await this.deps.onChatMigrated?.(chat, newId);
    } catch (err) {
      // The messages follow the chat either way; only the pin stays behind.
      this.deps.log.error(`Could not update the pinned chat ${chat.id}: ${describeError(err)}`);
    }
  }

  /** Telegram moved a chat that already moved, or to itself: hold it rather than loop. */
  private refuseMigration(
    state: ChatState,
    chat: PinnedChat,
    ids: Set<string>,
    err: unknown,
    newId: unknown,
  ): void {
    state.failures += 1;
    state.held = 'migration-loop';
    this.deps.log.warn(
      `Telegram says ${describeChat(chat)} moved to ${String(newId)}, but these messages ` +
        'already followed a move (a group becomes a supergroup only once), or the new id is ' +
        'not another chat. Holding them until the chat is fixed.',
    );
    this.report({
      condition: 'migration-loop',
      chat,
      error: err,
      failures: state.failures,
      outcome: 'held',
      count: ids.size,
    });
  }

  private report(problem: DeliveryProblem): void {
    this.notifyState();
    this.deps.onProblem?.(problem);

    const threshold = this.deps.noticeAfterFailures ?? 3;
    const passing = problem.outcome === 'retry';
    if (passing && !problem.longWait && problem.failures < threshold) return;
    const key = noticeKey(problem);
    if (this.noticed.has(key)) return;
    this.noticed.add(key);
    this.deps.onNotice?.(problem);
  }

  private forget(which: (key: string) => boolean): void {
    for (const key of [...this.noticed]) if (which(key)) this.noticed.delete(key);
  }

  private changed(): void {
    this.deps.store.save(this.pending);
    this.notifyState();
  }

  private notifyState(): void {
    this.deps.onStateChange?.(this.state());
  }

  private byChat(): Map<string, QueuedMessage[]> {
    const groups = new Map<string, QueuedMessage[]>();
    for (const item of this.pending) {
      const key = chatKey(item.chat);
      const list = groups.get(key);
      if (list) list.push(item);
      else groups.set(key, [item]);
    }
    return groups;
  }

  private chatState(key: string): ChatState {
    let state = this.chats.get(key);
    if (!state) {
      state = { failures: 0, notBefore: 0, inFlight: false };
      this.chats.set(key, state);
    }
    return state;
  }
}

/**
 * A message follows a chat migration at most once: a basic group becomes a supergroup once,
 * and a supergroup never migrates again. Anything else (a move to the same id, a second move,
 * an id that is not a chat's) is a loop or a broken answer, and is not followed.
 */
function mayMigrate(items: readonly QueuedMessage[], chat: PinnedChat, newId: number): boolean {
  const valid = typeof normalizeChatId(newId) === 'number' && newId !== chat.id;
  return valid && items.every((m) => m.migratedFrom === undefined);
}

/**
 * Outages and failures outside Telegram are one condition for the whole extension; a token
 * problem is one per bot; the rest are one per chat.
 */
function noticeKey(problem: DeliveryProblem): string {
  const { condition, chat, outcome } = problem;
  const kind = outcome === 'retry' ? 'passing' : 'held';
  if (condition === 'unreachable' || condition === 'bad-reply' || condition === 'internal-error') {
    return `${kind}:${condition}`;
  }
  if (condition === 'token-rejected' || condition === 'no-token') {
    return `${kind}:${condition}:${chat.botId ?? ''}`;
  }
  return `${kind}:${condition}:${chatKey(chat)}`;
}

/** Messages for the same bot, chat and topic share a queue. */
export function chatKey(chat: PinnedChat): string {
  return `${chat.botId ?? ''}|${chat.id}|${chat.topicId ?? ''}`;
}

function limitKeyOf(chat: PinnedChat): LimitKey {
  const groupLike =
    chat.type !== undefined ? chat.type !== 'private' : typeof chat.id === 'string' || chat.id < 0;
  return { bot: chat.botId ?? '', chat: String(chat.id), groupLike };
}

/** Longest verdict line kept in a digest, in characters of text. */
const MAX_DIGEST_LINE = 300;

/**
 * One waiting message goes out as it is; several become one digest of their summary lines,
 * as many as fit in one Telegram message (the rest wait for the next turn).
 */
export function composeBatch(items: readonly QueuedMessage[]): {
  ids: Set<string>;
  message: OutgoingMessage;
} {
  if (items.length === 1) return { ids: new Set([items[0].id]), message: items[0].message };

  const lines: string[] = [];
  const ids = new Set<string>();
  const header = (n: number) =>
    `📬 <b>${n} notifications</b> (sent together to respect Telegram's limits)`;
  let length = header(items.length).length;
  for (const item of items) {
    const line = digestLine(item.message);
    if (length + 1 + line.length > MAX_MESSAGE_LENGTH) break;
    lines.push(line);
    ids.add(item.id);
    length += 1 + line.length;
  }
  const silent = items.every((m) => m.message.silent);
  const text = `${header(lines.length)}\n${lines.join('\n')}`;
  return { ids, message: { text, parseMode: 'HTML', ...(silent ? { silent } : {}) } };
}

/** A message's verdict line as HTML: its `summary`, else its first line of text. */
export function digestLine(message: OutgoingMessage): string {
  if (message.summary && message.parseMode === 'HTML') {
    const plainLength = toPlainText(message.summary, 'HTML').length;
    if (plainLength <= MAX_DIGEST_LINE) return message.summary;
  }
  const plain = toPlainText(message.text, message.parseMode);
  const source =
    message.summary && message.parseMode !== 'HTML'
      ? toPlainText(message.summary, message.parseMode)
      : plain;
  const first = source.split('\n', 1)[0].trim();
  const cut = first.length > MAX_DIGEST_LINE ? `${first.slice(0, MAX_DIGEST_LINE - 1)}…` : first;
  return escapeHtml(cut || '(empty message)');
}
