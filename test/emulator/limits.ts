import type { Clock } from './clock';
import { tooManyRequests } from './errors';

/**
 * Flood limits as the Bot API FAQ states them ("My bot is hitting limits, how do I avoid
 * this?"): about one message per second in a chat with short bursts tolerated, at most 20
 * messages per minute in a group, supergroup or channel, and about 30 messages per second
 * overall per bot. Each limit is a token bucket: `burst` sends at once, then one more every
 * `1 / rate`.
 */
export interface FloodLimits {
  perChat: { perSecond: number; burst: number };
  perGroup: { perMinute: number; burst: number };
  perBot: { perSecond: number; burst: number };
}

export const TELEGRAM_FLOOD_LIMITS: FloodLimits = {
  perChat: { perSecond: 1, burst: 3 },
  perGroup: { perMinute: 20, burst: 20 },
  perBot: { perSecond: 30, burst: 30 },
};

interface Bucket {
  tokens: number;
  updatedAt: number;
  capacity: number;
  perMs: number;
}

/** Counts sends per bot, per chat and per group and refuses the one that goes too fast. */
export class FloodLimiter {
  private readonly buckets = new Map<string, Bucket>();

  constructor(
    private readonly limits: FloodLimits,
    private readonly clock: Clock,
  ) {}

  /**
   * Records a send from `botId` to `chatId`, or throws the 429 Telegram would answer, with
   * `retry_after` = whole seconds until every limit involved has room again. A refused send
   * uses up nothing, as on Telegram.
   */
  take(botId: number, chatId: number, isGroupLike: boolean): void {
    const { perChat, perGroup, perBot } = this.limits;
    const buckets = [
      this.bucket(`bot:${botId}`, perBot.burst, perBot.perSecond / 1000),
      this.bucket(`chat:${botId}:${chatId}`, perChat.burst, perChat.perSecond / 1000),
    ];
    if (isGroupLike) {
      buckets.push(
        this.bucket(`group:${botId}:${chatId}`, perGroup.burst, perGroup.perMinute / 60_000),
      );
    }

    const now = this.clock.now();
    buckets.forEach((bucket) => refill(bucket, now));
    const waitMs = Math.max(...buckets.map((b) => (b.tokens >= 1 ? 0 : (1 - b.tokens) / b.perMs)));
    if (waitMs > 0) throw tooManyRequests(Math.max(1, Math.ceil(waitMs / 1000)));

    buckets.forEach((bucket) => (bucket.tokens -= 1));
  }

  private bucket(key: string, capacity: number, perMs: number): Bucket {
    let bucket = this.buckets.get(key);
    if (bucket === undefined) {
      bucket = { tokens: capacity, updatedAt: this.clock.now(), capacity, perMs };
      this.buckets.set(key, bucket);
    }
    return bucket;
  }
}

function refill(bucket: Bucket, now: number): void {
  const elapsed = Math.max(0, now - bucket.updatedAt);
  bucket.tokens = Math.min(bucket.capacity, bucket.tokens + elapsed * bucket.perMs);
  bucket.updatedAt = now;
}

/** Merges a partial override onto Telegram's published limits. */
export function resolveLimits(option: boolean | Partial<FloodLimits> | undefined) {
  if (option === undefined || option === false) return undefined;
  if (option === true) return TELEGRAM_FLOOD_LIMITS;
  return { ...TELEGRAM_FLOOD_LIMITS, ...option };
}
