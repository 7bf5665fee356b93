/**
 * The discovery loop: long-polls getUpdates until an update carries the handshake code (or
 * shows the chat the caller chose), the code expires, or the caller cancels. Used only while
 * the user pins a chat; sending never reads updates.
 */
import { TelegramTransportError } from '../errors';
import type { Logger } from '../log';
import { describeError } from '../redact';
import type { Update } from '../telegram-types';
import { type ChatCandidate, candidateFromUpdate, candidateKey } from './candidates';
import type { Handshake } from './handshake';

/** The one Bot API call discovery needs (BotApiClient fits). */
export interface UpdateSource {
  getUpdates(
    params: { offset?: number; limit?: number; timeout?: number },
    signal?: AbortSignal,
  ): Promise<Update[]>;
}

export interface DiscoveryOptions {
  source: UpdateSource;
  handshake: Handshake;
  signal?: AbortSignal;
  /** Seconds each getUpdates waits for news; shortened near the code's expiry. Default 25. */
  pollSeconds?: number;
  /**
   * A chat the caller already chose (confirmed by the user, or named by a script). While it is
   * set, the handshake code pins only that chat: the code arriving from any other chat is
   * refused and spent.
   */
  chosen?: (candidate: ChatCandidate) => boolean;
  /** Called when a chat without the code shows up, with every chat seen so far. */
  onSeen?(seen: ChatCandidate[]): void;
  log: Logger;
}

export type DiscoveryOutcome =
  /** An update carried the code: this is the user's chat. */
  | { kind: 'handshake'; chat: ChatCandidate; seen: ChatCandidate[] }
  /** The chat the caller chose showed up. */
  | { kind: 'chosen'; chat: ChatCandidate; seen: ChatCandidate[] }
  /** The code expired first; `updates` says whether anything arrived at all. */
  | { kind: 'expired'; seen: ChatCandidate[]; updates: number }
  | { kind: 'cancelled'; seen: ChatCandidate[]; updates: number };

/**
 * Polls until an outcome. Bot API failures (401, 409 webhook or rival poller, network) are
 * thrown unchanged for the caller to explain; nothing is pinned here either way.
 *
 * Each call passes `offset` = last update id + 1, which confirms the updates already read
 * (https://core.telegram.org/bots/api#getupdates). No `allowed_updates` is sent: Telegram
 * remembers that list for the bot, and the default already includes `my_chat_member`.
 */
export async function discoverChat(options: DiscoveryOptions): Promise<DiscoveryOutcome> {
  const { source, handshake, signal, log } = options;
  const seen = new Map<string, ChatCandidate>();
  const list = () => [...seen.values()].sort((a, b) => b.updateId - a.updateId);
  let offset: number | undefined;
  let updates = 0;

  while (!handshake.isExpired()) {
    if (signal?.aborted) return { kind: 'cancelled', seen: list(), updates };
    const timeout = pollTimeout(handshake, options.pollSeconds ?? 25);

    let batch: Update[];
    try {
      batch = await source.getUpdates({ offset, timeout }, signal);
    } catch (err) {
      if (signal?.aborted || isAbort(err)) return { kind: 'cancelled', seen: list(), updates };
      throw err;
    }

    updates += batch.length;
    let fresh = false;
    for (const update of batch) {
      offset = Math.max(offset ?? 0, update.update_id + 1);
      const candidate = candidateFromUpdate(update);
      if (!candidate) continue;

      if (options.chosen && !options.chosen(candidate) && handshake.matches(candidate.text)) {
        // The code came from a chat other than the one confirmed: someone else has it. Spend
        // it, so it can pin nothing later; the confirmed chat still pins when it shows up.
        handshake.claim(candidate);
        log.warn(
          `Refused the handshake code from chat ${candidate.chatId}: it is not the chat ` +
            'that was confirmed. The code is spent.',
        );
      } else if (handshake.claim(candidate)) {
        log.info(`The handshake code arrived from chat ${candidate.chatId} (${candidate.type}).`);
        await confirmThrough(source, update.update_id, log);
        return { kind: 'handshake', chat: candidate, seen: list() };
      }
      if (options.chosen?.(candidate)) {
        await confirmThrough(source, update.update_id, log);
        return { kind: 'chosen', chat: candidate, seen: list() };
      }

      const key = candidateKey(candidate);
      if (!seen.has(key)) fresh = true;
      seen.set(key, candidate);
      log.debug(`Update ${update.update_id} from chat ${candidate.chatId} has no handshake code.`);
    }
    if (fresh) options.onSeen?.(list());
  }
  return { kind: 'expired', seen: list(), updates };
}

/**
 * Confirms the updates up to the one that decided, so the next detection does not read them
 * again. Best effort: an unconfirmed update is harmless (the code was single-use) and
 * Telegram drops it after 24 hours anyway.
 */
async function confirmThrough(source: UpdateSource, updateId: number, log: Logger): Promise<void> {
  try {
    await source.getUpdates({ offset: updateId + 1, limit: 1, timeout: 0 });
  } catch (err) {
    log.debug(`Could not confirm update ${updateId}: ${describeError(err)}`);
  }
}

/** Whole seconds to wait, never past the code's expiry, at least 1. */
function pollTimeout(handshake: Handshake, pollSeconds: number): number {
  const left = Math.ceil(handshake.msLeft() / 1000);
  return Math.max(1, Math.min(pollSeconds, left));
}

function isAbort(err: unknown): boolean {
  return err instanceof TelegramTransportError && err.failure === 'aborted';
}
