import { Actors } from './actors';
import { ChatView } from './chat-view';
import { type Clock, systemClock } from './clock';
import { apiErrorBody } from './errors';
import { type FaultHandle, FaultPlan, type FaultSpec } from './faults';
import { FloodLimiter, type FloodLimits, resolveLimits } from './limits';
import { Methods } from './methods';
import type { SentMessage } from './send';
import { EmulatorServer, type RequestRecord } from './server';
import type {
  MemberStatus,
  TgChat,
  TgChatMemberUpdated,
  TgMessage,
  TgUpdate,
  TgUser,
} from './types';
import { UpdateQueue } from './updates';
import {
  type BotRecord,
  type ChatRef,
  type UserRef,
  TOKEN_PATTERN,
  World,
  chatShape,
} from './world';

const DAY_MS = 24 * 60 * 60 * 1000;

export interface EmulatorOptions {
  /** Port to listen on; 0 (default) picks a free one. */
  port?: number;
  /** Interface to bind; default 127.0.0.1. */
  host?: string;
  /** Serve HTTPS with this key and certificate (PEM). */
  tls?: { key: string | Buffer; cert: string | Buffer };
  /** Time for message dates, update expiry and flood limits; default the wall clock. */
  clock?: Clock;
  /** Enforce flood limits (429 with retry_after): `true` for Telegram's, or overrides. */
  limits?: boolean | Partial<FloodLimits>;
  /** How long an unconfirmed update survives; default 24 hours, as on Telegram. */
  updateRetentionMs?: number;
  /** Refuse a bare `&` in HTML mode (Telegram keeps it literal); default true. */
  strictHtmlAmpersand?: boolean;
  /** The first update_id each bot hands out; default 100000. */
  firstUpdateId?: number;
  /** Receives one line per request and per problem, tokens masked; default silent. */
  log?: (line: string) => void;
  /** Called for every message a bot delivers (what `sentMessages()` records). */
  onSent?: (sent: SentMessage) => void;
}

export interface AddBotOptions {
  /** `123456789:` followed by 35 characters of `[A-Za-z0-9_-]`. */
  token: string;
  username: string;
  firstName?: string;
  /** Group privacy mode (BotFather's default: on). */
  privacyMode?: boolean;
}

export interface BotInfo {
  id: number;
  token: string;
  username: string;
  /** The bot as a User object (what `from` holds in its messages). */
  user: TgUser;
}

export interface AddUserOptions {
  firstName: string;
  id?: number;
  lastName?: string;
  username?: string;
  languageCode?: string;
  isBot?: boolean;
}

export interface AddChatOptions {
  title: string;
  /** Default: a fresh id of the right form (groups -4…, supergroups/channels -100…). */
  id?: number;
  /** Public `@username` (supergroups and channels). */
  username?: string;
  /** Bots already in the chat, quietly (no update): members, or admins in channels. */
  bots?: string[];
}

export interface AddSupergroupOptions extends AddChatOptions {
  isForum?: boolean;
  /** Topic names to create (quietly); their thread ids come back from `topicId`. */
  topics?: string[];
}

export interface SentFilter {
  chatId?: number | string;
  token?: string;
  threadId?: number;
}

export interface WaitOptions extends SentFilter {
  /** Default 5000. */
  timeoutMs?: number;
  /** Index into sentMessages() to start from; default: only messages sent after the call. */
  since?: number;
}

interface Waiter {
  filter: SentFilter;
  since: number;
  resolve(sent: SentMessage): void;
}

/**
 * A Telegram Bot API on loopback, with a world of users, chats and bots behind it. Create it
 * with {@link startEmulator}. Methods that act "as Telegram's users" push updates to the bots
 * concerned; methods that configure the world do so quietly.
 */
export class Emulator {
  readonly clock: Clock;
  private readonly world = new World();
  private readonly actors: Actors;
  private readonly faults = new FaultPlan();
  private readonly server: EmulatorServer;
  private readonly records: RequestRecord[] = [];
  private readonly sent: SentMessage[] = [];
  private readonly waiters = new Set<Waiter>();
  private readonly retentionMs: number;
  private readonly firstUpdateId: number;
  private readonly scheme: string;
  private readonly host: string;
  private readonly onSent: ((sent: SentMessage) => void) | undefined;
  private view: ChatView | undefined;

  /** @internal use {@link startEmulator}. */
  constructor(options: EmulatorOptions = {}) {
    this.clock = options.clock ?? systemClock;
    this.retentionMs = options.updateRetentionMs ?? DAY_MS;
    this.firstUpdateId = options.firstUpdateId ?? 100_000;
    this.actors = new Actors(this.world, this.clock);
    this.scheme = options.tls === undefined ? 'http' : 'https';
    this.host = options.host ?? '127.0.0.1';
    this.onSent = options.onSent;

    const limits = resolveLimits(options.limits);
    const methods = new Methods({
      world: this.world,
      clock: this.clock,
      limiter: limits === undefined ? undefined : new FloodLimiter(limits, this.clock),
      parseOptions: { strictAmpersand: options.strictHtmlAmpersand ?? true },
      onSent: (sent) => this.recordSent(sent),
    });
    this.server = new EmulatorServer({
      host: this.host,
      port: options.port ?? 0,
      tls: options.tls,
      clock: this.clock,
      faults: this.faults,
      records: this.records,
      dispatch: (token, method, params, signal) => methods.dispatch(token, method, params, signal),
      log: options.log ?? (() => undefined),
      page: (method, path, body) => this.chatView.handle(method, path, body),
    });
  }

  /** The chat view page (see chat-view.ts), built on first request. */
  private get chatView(): ChatView {
    this.view ??= new ChatView({
      sentMessages: () => this.sent,
      bots: () =>
        [...this.world.bots.values()].map((b) => ({
          id: b.id,
          token: b.token,
          username: b.user.username ?? String(b.id),
        })),
      users: () => [...this.world.users.values()].filter((u) => !u.is_bot),
      chatTitle: (id) => {
        const chat = this.world.chats.get(id);
        if (chat?.user)
          return [chat.user.first_name, chat.user.last_name].filter(Boolean).join(' ');
        return chat?.title ?? String(id);
      },
      topicName: (id, threadId) => this.world.chats.get(id)?.topics.get(threadId)?.name,
      privateMessage: (token, userId, text) => void this.privateMessage(token, userId, text),
      now: () => this.clock.now(),
    });
    return this.view;
  }

  /** @internal */
  async listen(): Promise<this> {
    await this.server.listen();
    return this;
  }

  /** Base URL for the Bot API, e.g. `http://127.0.0.1:40123` (no trailing slash). */
  get url(): string {
    return `${this.scheme}://${this.host}:${this.server.port}`;
  }

  /** The chat view: a page showing what the bots sent, with a box to write as a user. */
  get chatUrl(): string {
    return `${this.url}/chat`;
  }

  get port(): number {
    return this.server.port;
  }

  /** Stops the server, ends pending long polls and waits, and cuts open connections. */
  async close(): Promise<void> {
    for (const bot of this.world.bots.values()) bot.queue.interrupt('closed');
    await this.server.stop();
  }

  // ---- bots -------------------------------------------------------------------------------

  addBot(options: AddBotOptions): BotInfo {
    const match = TOKEN_PATTERN.exec(options.token);
    if (match === null) throw new Error('addBot: token must look like 123456789:<35 chars>');
    const id = Number(match[1]);
    const user: TgUser = {
      id,
      is_bot: true,
      first_name: options.firstName ?? options.username,
      username: options.username,
    };
    const bot: BotRecord = {
      id,
      token: options.token,
      user,
      privacyMode: options.privacyMode ?? true,
      revoked: false,
      memberships: new Map(),
      started: new Set(),
      blockedBy: new Set(),
      knownUsers: new Set(),
      privateMessageIds: new Map(),
      queue: new UpdateQueue(this.clock, this.retentionMs, this.firstUpdateId),
    };
    this.world.bots.set(options.token, bot);
    this.world.users.set(id, user);
    this.world.addChat({ id, type: 'private', user, isForum: false });
    return { id, token: options.token, username: options.username, user };
  }

  /** From now on the token answers 401 Unauthorized, as after /revoke in BotFather. */
  revokeToken(token: string): void {
    const bot = this.world.bot(token);
    bot.revoked = true;
    bot.queue.interrupt('closed');
  }

  // ---- world ------------------------------------------------------------------------------

  /** Adds a Telegram user and their private chat (chat id = user id). */
  addUser(options: AddUserOptions): TgUser {
    const user: TgUser = {
      id: options.id ?? this.world.allocateUserId(),
      is_bot: options.isBot ?? false,
      first_name: options.firstName,
    };
    if (options.lastName !== undefined) user.last_name = options.lastName;
    if (options.username !== undefined) user.username = options.username;
    if (options.languageCode !== undefined) user.language_code = options.languageCode;

    this.world.users.set(user.id, user);
    this.world.addChat({ id: user.id, type: 'private', user, isForum: false });
    return user;
  }

  addGroup(options: AddChatOptions): TgChat {
    return this.addChat('group', options, false);
  }

  addSupergroup(options: AddSupergroupOptions): TgChat {
    const chat = this.addChat('supergroup', options, options.isForum ?? false);
    for (const name of options.topics ?? []) this.addTopicQuietly(chat.id, name);
    return chat;
  }

  addChannel(options: AddChatOptions): TgChat {
    return this.addChat('channel', options, false);
  }

  /**
   * Creates a forum topic; bots present receive its `forum_topic_created` service message.
   * Returns the topic's `message_thread_id`.
   */
  addTopic(chat: ChatRef, name: string, by?: UserRef): number {
    const creator = by === undefined ? undefined : this.world.user(by);
    return this.actors.createTopic(this.world.chat(chat), name, creator).threadId;
  }

  /** The thread id of a topic by name; throws if there is none. */
  topicId(chat: ChatRef, name: string): number {
    const topic = [...this.world.chat(chat).topics.values()].find((t) => t.name === name);
    if (topic === undefined) throw new Error(`no topic named ${name}`);
    return topic.threadId;
  }

  /** Deletes a topic: later sends to it answer "message thread not found". */
  deleteTopic(chat: ChatRef, threadId: number): void {
    this.world.chat(chat).topics.delete(threadId);
  }

  /** Sets the bot's status in a chat without any update (see setBotStatus for the noisy one). */
  setMembership(token: string, chat: ChatRef, status: MemberStatus): void {
    this.world.bot(token).memberships.set(this.world.chat(chat).id, status);
  }

  /** Marks that the user pressed Start (or not), without an update. */
  setStarted(token: string, user: UserRef, started = true): void {
    const bot = this.world.bot(token);
    const id = this.world.user(user).id;
    if (started) {
      bot.started.add(id);
      bot.knownUsers.add(id);
    } else bot.started.delete(id);
  }

  /** The chat as a Chat object (what `chat` holds in messages), by id or `@username`. */
  chat(ref: ChatRef): TgChat {
    return chatShape(this.world.chat(ref));
  }

  // ---- acting as Telegram's users ------------------------------------------------------------

  /** The user writes to the bot (e.g. `/start CODE` from a t.me deep link). */
  privateMessage(token: string, user: UserRef, text: string): TgMessage {
    return this.actors.privateMessage(this.world.bot(token), this.world.user(user), text);
  }

  /**
   * The user writes in a group or supergroup (e.g. `/start@botname CODE`); bots present get
   * it, subject to privacy mode. `threadId` picks a forum topic; omit it for General.
   */
  groupMessage(chat: ChatRef, user: UserRef, text: string, opts: { threadId?: number } = {}) {
    return this.actors.groupMessage(
      this.world.chat(chat),
      this.world.user(user),
      text,
      opts.threadId,
    );
  }

  /** A post in a channel; bots present get a `channel_post` update. */
  channelPost(chat: ChatRef, text: string, opts: { authorSignature?: string } = {}): TgMessage {
    return this.actors.channelPost(this.world.chat(chat), text, opts.authorSignature);
  }

  /** `by` adds the bot: `my_chat_member` (+ `new_chat_members` in groups). */
  addBotToChat(token: string, chat: ChatRef, by: UserRef, status?: MemberStatus) {
    const record = this.world.chat(chat);
    const defaultStatus = record.type === 'channel' ? 'administrator' : 'member';
    return this.setBotStatus(token, chat, by, status ?? defaultStatus);
  }

  /** `by` removes the bot (`kicked`, default) or the bot is made to leave (`left`). */
  removeBotFromChat(
    token: string,
    chat: ChatRef,
    by: UserRef,
    status: 'kicked' | 'left' = 'kicked',
  ) {
    return this.setBotStatus(token, chat, by, status);
  }

  /** Any status change of the bot in a group, supergroup or channel, with its updates. */
  setBotStatus(
    token: string,
    chat: ChatRef,
    by: UserRef,
    status: MemberStatus,
  ): TgChatMemberUpdated {
    const bot = this.world.bot(token);
    return this.actors.setBotStatus(bot, this.world.chat(chat), this.world.user(by), status);
  }

  /** The user blocks the bot: `my_chat_member` member → kicked; sends then answer 403. */
  blockBot(token: string, user: UserRef): TgChatMemberUpdated {
    return this.actors.setBlocked(this.world.bot(token), this.world.user(user), true);
  }

  unblockBot(token: string, user: UserRef): TgChatMemberUpdated {
    return this.actors.setBlocked(this.world.bot(token), this.world.user(user), false);
  }

  /** Upgrades a basic group; returns the new supergroup (id -100…). */
  migrateGroup(chat: ChatRef, by: UserRef, opts: { supergroupId?: number } = {}): TgChat {
    const group = this.world.chat(chat);
    return chatShape(this.actors.migrate(group, this.world.user(by), opts.supergroupId));
  }

  /** Queues any update for one bot; only `update_id` is filled in. */
  pushUpdate(token: string, partial: Omit<TgUpdate, 'update_id'>): TgUpdate | undefined {
    return this.actors.deliver(this.world.bot(token), partial);
  }

  /** What getUpdates would return now (without confirming anything). */
  pendingUpdates(token: string): TgUpdate[] {
    return this.world.bot(token).queue.peek(Number.MAX_SAFE_INTEGER);
  }

  // ---- faults -----------------------------------------------------------------------------

  /** Disturbs the next `spec.times` (default 1) calls matching `spec.method`. */
  failNext(spec: FaultSpec): FaultHandle {
    return this.faults.add(spec);
  }

  /**
   * Every call (to `method`, if given) fails until {@link clearFaults}; by default with
   * 500 Internal Server Error in the API's shape.
   */
  failAll(method?: string, spec: Omit<FaultSpec, 'method' | 'times'> = {}): FaultHandle {
    const fallback = { status: 500, body: apiErrorBody(500, 'Internal Server Error') };
    const chosen = Object.keys(spec).length === 0 ? fallback : spec;
    return this.faults.add({ ...chosen, method, times: Infinity });
  }

  clearFaults(): void {
    this.faults.clear();
  }

  /** `true`: close the listener (connects are refused); `false`: reopen on the same port. */
  async refuseConnections(refuse: boolean): Promise<void> {
    if (refuse) await this.server.stop();
    else await this.server.listen(this.server.port);
  }

  // ---- observation ------------------------------------------------------------------------

  /** Every request received so far, oldest first (live array; do not print tokens from it). */
  get requests(): readonly RequestRecord[] {
    return this.records;
  }

  /** Messages the bots delivered, oldest first, optionally filtered. */
  sentMessages(filter: SentFilter = {}): SentMessage[] {
    return this.sent.filter((sent) => this.matches(sent, filter));
  }

  /**
   * Resolves with the first matching message sent from `since` on (default: after this call),
   * or rejects after `timeoutMs`.
   */
  waitForMessage(options: WaitOptions = {}): Promise<SentMessage> {
    const since = options.since ?? this.sent.length;
    const already = this.sent.slice(since).find((sent) => this.matches(sent, options));
    if (already !== undefined) return Promise.resolve(already);

    const timeoutMs = options.timeoutMs ?? 5000;
    return new Promise<SentMessage>((resolve, reject) => {
      const waiter: Waiter = {
        filter: options,
        since,
        resolve: (sent) => {
          clearTimeout(timer);
          this.waiters.delete(waiter);
          resolve(sent);
        },
      };
      const timer = setTimeout(() => {
        this.waiters.delete(waiter);
        reject(new Error(`no matching message was sent within ${timeoutMs} ms`));
      }, timeoutMs);
      this.waiters.add(waiter);
    });
  }

  /** Forgets recorded requests and sent messages (the world is kept). */
  clearLog(): void {
    this.records.length = 0;
    this.sent.length = 0;
  }

  // ---- internals --------------------------------------------------------------------------

  private addChat(
    type: 'group' | 'supergroup' | 'channel',
    options: AddChatOptions,
    isForum: boolean,
  ): TgChat {
    const chat = this.world.addChat({
      id: options.id ?? this.world.allocateChatId(type),
      type,
      title: options.title,
      username: options.username,
      isForum,
    });
    const status: MemberStatus = type === 'channel' ? 'administrator' : 'member';
    for (const token of options.bots ?? []) this.world.bot(token).memberships.set(chat.id, status);
    return chatShape(chat);
  }

  private addTopicQuietly(chatId: number, name: string): void {
    this.actors.createTopic(this.world.chat(chatId), name, undefined, { quiet: true });
  }

  private recordSent(sent: SentMessage): void {
    this.sent.push(sent);
    this.onSent?.(sent);
    const index = this.sent.length - 1;
    for (const waiter of this.waiters) {
      if (index >= waiter.since && this.matches(sent, waiter.filter)) waiter.resolve(sent);
    }
  }

  private matches(sent: SentMessage, filter: SentFilter): boolean {
    if (filter.chatId !== undefined && sent.chatId !== this.world.findChat(filter.chatId)?.id) {
      return false;
    }
    if (filter.token !== undefined && sent.botId !== this.world.bots.get(filter.token)?.id) {
      return false;
    }
    return filter.threadId === undefined || sent.threadId === filter.threadId;
  }
}

/** Starts an emulator listening on loopback; `close()` it when done. */
export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  return new Emulator(options).listen();
}
