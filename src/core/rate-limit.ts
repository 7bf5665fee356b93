/**
 * Telegram's flood limits, kept on our side so a burst of notifications never earns a 429.
 * The Bot API FAQ ("My bot is hitting limits, how do I avoid this?") gives about one message
 * per second in a chat (short bursts tolerated), at most 20 per minute in a group or channel,
 * and about 30 per second for the whole bot. Each limit is a token bucket.
 */

export interface RateLimits {
  perChat: { perSecond: number; burst: number };
  perGroup: { perMinute: number; burst: number };
  perBot: { perSecond: number; burst: number };
}

export const TELEGRAM_RATE_LIMITS: RateLimits = {
  perChat: { perSecond: 1, burst: 3 },
  perGroup: { perMinute: 20, burst: 20 },
  perBot: { perSecond: 30, burst: 30 },
};

/**
 * A wait is rounded up and lengthened by this much: rounding must never make us send a
 * moment before Telegram's own bucket has refilled.
 */
const MARGIN_MS = 1;
/** One send's worth of tokens, a little over 1 so float rounding errs on the slow side. */
const ONE = 1 + 1e-9;

interface Bucket {
  tokens: number;
  updatedAt: number;
  capacity: number;
  perMs: number;
}

/** Where a message goes, as far as the limits care. */
export interface LimitKey {
  /** The sending bot ('' for the default bot). */
  bot: string;
  chat: string;
  /** Groups, supergroups and channels have the per-minute limit on top. */
  groupLike: boolean;
}

export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>();

  constructor(private readonly limits: RateLimits = TELEGRAM_RATE_LIMITS) {}

  /** Milliseconds until a send to `key` fits every limit; 0 means now. Uses nothing up. */
  waitMs(key: LimitKey, now: number): number {
    const buckets = this.bucketsFor(key, now);
    buckets.forEach((b) => refill(b, now));
    const waits = buckets.map((b) =>
      b.tokens >= ONE ? 0 : Math.ceil((ONE - b.tokens) / b.perMs) + MARGIN_MS,
    );
    return Math.max(...waits);
  }

  /** How many sends to `key` fit right now, without waiting. */
  room(key: LimitKey, now: number): number {
    const buckets = this.bucketsFor(key, now);
    buckets.forEach((b) => refill(b, now));
    return Math.max(0, Math.floor(Math.min(...buckets.map((b) => b.tokens))));
  }

  /** Records a send to `key` (call it only when {@link waitMs} said 0). */
  take(key: LimitKey, now: number): void {
    for (const bucket of this.bucketsFor(key, now)) {
      refill(bucket, now);
      bucket.tokens -= 1;
    }
  }

  /**
   * Records that a send taken at `sentAt` got its reply at `repliedAt`. Telegram counted it
   * at some moment in between (when it arrived: late for the first request of a connection,
   * which waits for the transport to load and TLS), so no refill is credited for that time:
   * the limits then never run ahead of Telegram's own count, whatever the latency.
   */
  settle(key: LimitKey, sentAt: number, repliedAt: number): void {
    const inFlight = Math.max(0, repliedAt - sentAt);
    for (const bucket of this.bucketsFor(key, repliedAt)) {
      refill(bucket, repliedAt);
      bucket.tokens -= inFlight * bucket.perMs;
    }
  }

  private bucketsFor(key: LimitKey, now: number): Bucket[] {
    const { perChat, perGroup, perBot } = this.limits;
    const list = [
      this.bucket(`bot:${key.bot}`, perBot.burst, perBot.perSecond / 1000, now),
      this.bucket(`chat:${key.bot}:${key.chat}`, perChat.burst, perChat.perSecond / 1000, now),
    ];
    if (key.groupLike) {
      const perMs = perGroup.perMinute / 60_000;
      list.push(this.bucket(`group:${key.bot}:${key.chat}`, perGroup.burst, perMs, now));
    }
    return list;
  }

  private bucket(id: string, capacity: number, perMs: number, now: number): Bucket {
    let bucket = this.buckets.get(id);
    if (!bucket) {
      bucket = { tokens: capacity, updatedAt: now, capacity, perMs };
      this.buckets.set(id, bucket);
    }
    return bucket;
  }
}

function refill(bucket: Bucket, now: number): void {
  const elapsed = Math.max(0, now - bucket.updatedAt);
  bucket.tokens = Math.min(bucket.capacity, bucket.tokens + elapsed * bucket.perMs);
  bucket.updatedAt = Math.max(bucket.updatedAt, now);
}
