/**
 * The messages not yet delivered, as plain data that can be written to disk and read back
 * by another window or a later session. The delivery queue keeps them in memory and hands a
 * snapshot to an {@link OutboxStore} after every change; the store decides when to write.
 */
import type { PinnedChat } from './chats';
import type { OutgoingMessage } from './delivery';

export interface QueuedMessage {
  /** Unique across windows and sessions; a message is sent at most once per id. */
  id: string;
  chat: PinnedChat;
  message: OutgoingMessage;
  /** Epoch ms when it was queued. */
  queuedAt: number;
}

/** Where the queue keeps its messages between sessions. */
export interface OutboxStore {
  /**
   * Called after every change with every message still to be delivered. Must not block:
   * a store batches the writes (a burst of 200 notifications is not 200 file writes).
   */
  save(messages: readonly QueuedMessage[]): void;
}

/** A store that keeps the last snapshot in memory, for tests and as a fallback. */
export class MemoryOutbox implements OutboxStore {
  snapshot: QueuedMessage[] = [];
  saves = 0;

  save(messages: readonly QueuedMessage[]): void {
    this.snapshot = messages.map((m) => ({ ...m }));
    this.saves += 1;
  }
}

/** Reads a stored list back, skipping entries that are not messages. */
export function parseOutbox(raw: unknown): QueuedMessage[] {
  if (!Array.isArray(raw)) return [];
  return raw.filter(
    (m): m is QueuedMessage =>
      typeof m?.id === 'string' &&
      (typeof m?.chat?.id === 'number' || typeof m?.chat?.id === 'string') &&
      typeof m?.message?.text === 'string' &&
      typeof m?.queuedAt === 'number',
  );
}
