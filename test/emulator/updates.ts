import type { Clock } from './clock';
import type { TgUpdate } from './types';

/**
 * Update kinds delivered when `allowed_updates` is empty or was never given
 * (Bot API, getUpdates: "all update types except chat_member, message_reaction, and
 * message_reaction_count").
 */
const OPT_IN_KINDS = new Set(['chat_member', 'message_reaction', 'message_reaction_count']);

interface Stored {
  update: TgUpdate;
  storedAt: number;
}

/** How a long poll ended. */
export type WaitOutcome = 'updates' | 'timeout' | 'conflict' | 'closed';

interface Waiter {
  finish(outcome: WaitOutcome): void;
}

/**
 * One bot's pending updates on Telegram's side: numbered in order, kept until confirmed
 * through `offset` or until they are older than the retention window (24 hours on Telegram),
 * filtered by the last `allowed_updates`, and watched by at most one long poll at a time.
 */
export class UpdateQueue {
  private items: Stored[] = [];
  private nextUpdateId: number;
  private allowed: Set<string> | undefined;
  private waiter: Waiter | undefined;

  constructor(
    private readonly clock: Clock,
    private readonly retentionMs: number,
    firstUpdateId: number,
  ) {
    this.nextUpdateId = firstUpdateId;
  }

  /**
   * Numbers and stores an update, unless `allowed_updates` excludes its kind (then it is
   * dropped, as Telegram does). Returns the stored update, or undefined when dropped.
   */
  push(partial: Omit<TgUpdate, 'update_id'>): TgUpdate | undefined {
    const kind = Object.keys(partial).find((key) => key !== 'update_id');
    if (kind !== undefined && !this.accepts(kind)) return undefined;

    const update = { update_id: this.nextUpdateId++, ...partial } as TgUpdate;
    this.items.push({ update, storedAt: this.clock.now() });
    this.waiter?.finish('updates');
    return update;
  }

  private accepts(kind: string): boolean {
    if (this.allowed === undefined || this.allowed.size === 0) return !OPT_IN_KINDS.has(kind);
    return this.allowed.has(kind);
  }

  /** Remembers the filter for updates created from now on; undefined keeps the old one. */
  setAllowed(kinds: string[] | undefined): void {
    if (kinds !== undefined) this.allowed = new Set(kinds);
  }

  allowedKinds(): string[] | undefined {
    return this.allowed === undefined ? undefined : [...this.allowed];
  }

  /**
   * Applies getUpdates' `offset`: a positive one confirms (deletes) every update with a
   * smaller id; a negative one keeps only the last `-offset` updates and forgets the rest.
   */
  confirm(offset: number): void {
    this.expire();
    if (offset > 0) this.items = this.items.filter((s) => s.update.update_id >= offset);
    else if (offset < 0) this.items = this.items.slice(offset);
  }

  /** Up to `limit` pending updates, oldest first, without removing them. */
  peek(limit: number): TgUpdate[] {
    this.expire();
    return this.items.slice(0, limit).map((s) => s.update);
  }

  pendingCount(): number {
    this.expire();
    return this.items.length;
  }

  dropAll(): void {
    this.items = [];
  }

  /**
   * Waits (in real time) until an update arrives or `timeoutMs` passes. A newer wait ends the
   * older one with 'conflict', as a second getUpdates does on Telegram.
   */
  wait(timeoutMs: number, signal?: AbortSignal): Promise<WaitOutcome> {
    this.waiter?.finish('conflict');
    return new Promise<WaitOutcome>((resolve) => {
      const onAbort = () => waiter.finish('closed');
      const timer = setTimeout(() => waiter.finish('timeout'), timeoutMs);
      const waiter: Waiter = {
        finish: (outcome) => {
          clearTimeout(timer);
          signal?.removeEventListener('abort', onAbort);
          if (this.waiter === waiter) this.waiter = undefined;
          resolve(outcome);
        },
      };
      this.waiter = waiter;
      if (signal?.aborted === true) waiter.finish('closed');
      else signal?.addEventListener('abort', onAbort);
    });
  }

  /** Ends a pending long poll without an answer (shutdown, webhook set). */
  interrupt(outcome: WaitOutcome = 'closed'): void {
    this.waiter?.finish(outcome);
  }

  /** Updates older than the retention window vanish, by the emulator's clock. */
  private expire(): void {
    const oldest = this.clock.now() - this.retentionMs;
    if (this.items.length > 0 && (this.items[0]?.storedAt ?? Infinity) < oldest) {
      this.items = this.items.filter((s) => s.storedAt >= oldest);
    }
  }
}
