/**
 * Time as the emulator sees it. Message dates, the 24-hour update expiry and the flood
 * limits all read `now()`, so a test that injects a {@link ManualClock} controls them
 * without waiting. Waits that a client performs over the network (long polling, injected
 * delays) always use real timers: they are about the socket, not about Telegram's state.
 */
export interface Clock {
  /** Milliseconds since the Unix epoch. */
  now(): number;
}

/** The wall clock. */
export const systemClock: Clock = { now: () => Date.now() };

/** A clock that moves only when told to. */
export class ManualClock implements Clock {
  private current: number;

  /** @param startMs where time starts; defaults to 2024-01-01T00:00:00Z. */
  constructor(startMs = Date.UTC(2024, 0, 1)) {
    this.current = startMs;
  }

  now(): number {
    return this.current;
  }

  /** Moves time forward by `ms` (negative values are refused: time does not run back). */
  advance(ms: number): void {
    if (ms < 0) throw new RangeError('ManualClock.advance: ms must be >= 0');
    this.current += ms;
  }

  /** Jumps to an absolute time in epoch milliseconds. */
  set(ms: number): void {
    this.current = ms;
  }
}

/** Unix time in whole seconds, as every `date` field of the Bot API uses. */
export function unixSeconds(clock: Clock): number {
  return Math.floor(clock.now() / 1000);
}
