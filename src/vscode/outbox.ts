import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Logger } from '../core/log';
import { type OutboxStore, type QueuedMessage, parseOutbox } from '../core/outbox';
import { describeError } from '../core/redact';

/** How often a window with undelivered messages proves it is alive. */
const HEARTBEAT_MS = 10_000;
/** A file not touched for this long belongs to a window that is gone. */
const STALE_MS = 45_000;
/** Changes within this long are written once. */
const WRITE_DELAY_MS = 100;

/** Timings, shorter in tests. */
export interface OutboxTimings {
  heartbeatMs: number;
  staleMs: number;
}

/**
 * The undelivered messages of this window, in the profile's extension storage, so that a
 * reload, a crash or a restart loses nothing.
 *
 * How several windows share one profile without sending a message twice or stranding one:
 * - Each window writes only its own file, `outbox/<window id>.json` (whole file, atomically
 *   by rename, batched: one write per burst). Only the window that owns a file sends its
 *   messages. The file exists only while the window has messages waiting.
 * - While it has a file, and only then, the window touches it every {@link HEARTBEAT_MS}. On
 *   a clean exit it sets the file's time to 1970, handing it over at once.
 * - Every window looks for files not touched for {@link STALE_MS} (or handed over) and
 *   adopts one by renaming it to a name of its own. A rename succeeds for exactly one
 *   window, so exactly one adopts it; that window queues the messages, writes its own file,
 *   then deletes the adopted one. A window looks when it starts, when the outbox folder
 *   changes (a file system watch: a handover is adopted at once), and, while another
 *   window's file exists, once more when that file would go stale (a crashed window). So a
 *   window keeps no timer and wakes up for nothing while no window has messages waiting.
 * - Before each send the owner checks that its file is still there. If a window that was
 *   asleep (a suspended laptop) finds its file adopted, it forgets its messages instead of
 *   sending them a second time.
 *
 * Limits: a window that stalls for longer than {@link STALE_MS} in the few milliseconds
 * between that check and the send could send a message its adopter sends too. Where the
 * file system cannot be watched (some network drives), a closed window's messages are
 * adopted only when a window starts or next has messages of its own. Damaged files moved to
 * `outbox/corrupt/` stay there until a person deletes them; a later damaged file of the same
 * origin replaces the earlier one.
 */
export class FileOutbox implements OutboxStore {
  readonly windowId = `${Date.now().toString(36)}-${randomBytes(4).toString('hex')}`;
  private readonly dir: string;
  private readonly file: string;
  private snapshot: readonly QueuedMessage[] = [];
  private writeTimer: NodeJS.Timeout | undefined;
  private writing: Promise<void> = Promise.resolve();
  private hasFile = false;
  private heartbeat: NodeJS.Timeout | undefined;
  private staleCheck: NodeJS.Timeout | undefined;
  private watcher: fs.FSWatcher | undefined;
  private adopt: ((messages: QueuedMessage[]) => void) | undefined;
  private looking: Promise<void> = Promise.resolve();
  private lookQueued = false;
  private disposed = false;
  private readonly timings: OutboxTimings;

  constructor(
    storageDir: string,
    private readonly log: Logger,
    timings: Partial<OutboxTimings> = {},
  ) {
    this.dir = path.join(storageDir, 'outbox');
    this.file = path.join(this.dir, `${this.windowId}.json`);
    this.timings = { heartbeatMs: HEARTBEAT_MS, staleMs: STALE_MS, ...timings };
  }

  /**
   * Adopts what closed windows left, and watches the outbox folder for more; resolves once
   * the first look is done.
   */
  async start(adopt: (messages: QueuedMessage[]) => void): Promise<void> {
    this.adopt = adopt;
    try {
      await fs.promises.mkdir(this.dir, { recursive: true });
      if (this.disposed) return;
      this.watcher = fs.watch(this.dir, (_event, name) => {
        if (!name?.toString().startsWith(this.windowId)) this.lookSoon();
      });
      this.watcher.on('error', (err) => {
        this.log.debug(`Stopped watching the outbox folder: ${describeError(err)}`);
        this.watcher?.close();
      });
    } catch (err) {
      this.log.debug(`Cannot watch the outbox folder: ${describeError(err)}`);
    }
    this.lookSoon();
    await this.looking;
  }

  /** Whether a timer of this outbox is pending (a write, the heartbeat, a stale check). */
  hasTimers(): boolean {
    return [this.writeTimer, this.heartbeat, this.staleCheck].some((t) => t !== undefined);
  }

  save(messages: readonly QueuedMessage[]): void {
    this.snapshot = messages;
    if (this.disposed || this.writeTimer) return;
    this.writeTimer = setTimeout(() => void this.flush(), WRITE_DELAY_MS);
    this.writeTimer.unref?.();
  }

  /** Writes the latest snapshot now (or deletes the file when nothing waits). */
  flush(): Promise<void> {
    clearTimeout(this.writeTimer);
    this.writeTimer = undefined;
    const messages = this.snapshot;
    this.writing = this.writing.then(() => this.write(messages));
    return this.writing;
  }

  /** False when another window adopted this window's file (see the class comment). */
  async stillOwner(): Promise<boolean> {
    if (!this.hasFile) return true;
    try {
      await fs.promises.access(this.file);
      return true;
    } catch {
      this.log.warn('Another window adopted this window’s undelivered messages.');
      clearTimeout(this.writeTimer);
      this.writeTimer = undefined;
      this.snapshot = [];
      this.setHasFile(false);
      return false;
    }
  }

  /**
   * Files of windows that are gone, taken over atomically; their messages are returned.
   * The adopted files are deleted once this window's own file holds the messages.
   */
  async adoptOrphans(): Promise<QueuedMessage[]> {
    let names: string[];
    try {
      names = await fs.promises.readdir(this.dir);
    } catch {
      return [];
    }
    const found: QueuedMessage[] = [];
    const claimed: string[] = [];
    let nextStaleAt = Infinity;
    for (const name of names) {
      const claim = await this.claim(name);
      if (!claim) continue;
      if ('staleAt' in claim) {
        nextStaleAt = Math.min(nextStaleAt, claim.staleAt);
        continue;
      }
      claimed.push(claim.path);
      found.push(...claim.messages);
    }
    this.checkAgainAt(nextStaleAt);
    if (claimed.length > 0) {
      this.log.info(`Took over ${found.length} undelivered message(s) from a closed window.`);
      void this.afterAdoption(claimed);
    }
    return found;
  }

  /**
   * On a clean exit: writes what is left and hands it to the next window at once. May be
   * called again with a later list (after a send that was in flight has finished).
   */
  release(messages: readonly QueuedMessage[] = this.snapshot): void {
    this.disposed = true;
    this.watcher?.close();
    this.watcher = undefined;
    clearTimeout(this.heartbeat);
    clearTimeout(this.staleCheck);
    clearTimeout(this.writeTimer);
    this.heartbeat = this.staleCheck = this.writeTimer = undefined;
    try {
      this.writeSync(messages);
      if (this.hasFile) fs.utimesSync(this.file, new Date(0), new Date(0));
    } catch (err) {
      this.log.error(`Could not save the undelivered messages: ${describeError(err)}`);
    }
  }

  /**
   * Takes over a stale file, or tells when a live one would go stale. A file that is not a
   * list of messages (cut short by a full disk, say) is moved to `outbox/corrupt/` once, with
   * one warning, and never adopted again.
   */
  private async claim(
    name: string,
  ): Promise<{ path: string; messages: QueuedMessage[] } | { staleAt: number } | undefined> {
    const match = /^([\w.-]+)\.json$/.exec(name);
    if (!match || match[1].startsWith(this.windowId)) return undefined;
    const from = path.join(this.dir, name);
    // A file a gone window was adopting keeps the name it had first: names never grow.
    const origin = match[1].replace(/^.*\.adopting-/, '');
    try {
      const stat = await fs.promises.stat(from);
      const staleAt = stat.mtimeMs + this.timings.staleMs;
      if (Date.now() < staleAt) return { staleAt };
      const to = path.join(this.dir, `${this.windowId}.adopting-${origin}.json`);
      await fs.promises.rename(from, to);
      // Fresh, so no other window takes it from us; stale again if we die before deleting it.
      await fs.promises.utimes(to, new Date(), new Date());
      const raw = parseJson(await fs.promises.readFile(to, 'utf8'));
      if (!Array.isArray(raw)) {
        await this.setAside(to, origin);
        return undefined;
      }
      return { path: to, messages: parseOutbox(raw, this.log) };
    } catch (err) {
      // Another window was faster (ENOENT), or the file is unreadable.
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') {
        this.log.warn(
          `Could not read an outbox file left by another window: ${describeError(err)}`,
        );
      }
      return undefined;
    }
  }

  /** Moves an outbox file that holds no list of messages out of the way, for a person to read. */
  private async setAside(file: string, origin: string): Promise<void> {
    const folder = path.join(this.dir, 'corrupt');
    const to = path.join(folder, `${origin}.json`);
    await fs.promises.mkdir(folder, { recursive: true });
    await fs.promises.rename(file, to);
    this.log.warn(
      `An outbox file left by another window is damaged and holds no messages that can be ` +
        `read; moved it to ${to}.`,
    );
  }

  /** Looks for orphans once the look in progress (if any) is done; never two at a time. */
  private lookSoon(): void {
    if (this.lookQueued || this.disposed) return;
    this.lookQueued = true;
    this.looking = this.looking.then(async () => {
      this.lookQueued = false;
      if (this.disposed) return;
      const found = await this.adoptOrphans();
      if (found.length > 0) this.adopt?.(found);
    });
  }

  /** One timer for the moment another window's file would go stale; none when there is none. */
  private checkAgainAt(staleAt: number): void {
    clearTimeout(this.staleCheck);
    this.staleCheck = undefined;
    if (!Number.isFinite(staleAt) || this.disposed) return;
    const wait = Math.max(0, staleAt - Date.now()) + 50;
    this.staleCheck = setTimeout(() => {
      this.staleCheck = undefined;
      this.lookSoon();
    }, wait);
    this.staleCheck.unref?.();
  }

  /** The heartbeat runs exactly while this window has a file. */
  private setHasFile(has: boolean): void {
    this.hasFile = has;
    if (!has) {
      clearTimeout(this.heartbeat);
      this.heartbeat = undefined;
    } else if (!this.heartbeat && !this.disposed) {
      this.beat();
    }
  }

  private beat(): void {
    this.heartbeat = setTimeout(() => {
      this.heartbeat = undefined;
      if (!this.hasFile || this.disposed) return;
      fs.utimes(this.file, new Date(), new Date(), () => undefined);
      this.lookSoon();
      this.beat();
    }, this.timings.heartbeatMs);
    this.heartbeat.unref?.();
  }

  /** Deletes adopted files once the messages are safe in this window's file. */
  private async afterAdoption(claimed: string[]): Promise<void> {
    // The adopter has queued them by now; the flush writes them to this window's file.
    await new Promise((resolve) => setImmediate(resolve));
    await this.flush();
    await Promise.all(claimed.map((file) => fs.promises.rm(file, { force: true })));
  }

  private async write(messages: readonly QueuedMessage[]): Promise<void> {
    try {
      if (messages.length === 0) {
        if (this.hasFile) await fs.promises.rm(this.file, { force: true });
        this.setHasFile(false);
        return;
      }
      await fs.promises.mkdir(this.dir, { recursive: true });
      const temp = `${this.file}.${process.pid}.tmp`;
      await fs.promises.writeFile(temp, JSON.stringify(messages));
      await fs.promises.rename(temp, this.file);
      this.setHasFile(true);
    } catch (err) {
      this.log.error(`Could not save the undelivered messages: ${describeError(err)}`);
    }
  }

  private writeSync(messages: readonly QueuedMessage[]): void {
    if (messages.length === 0) {
      if (this.hasFile) fs.rmSync(this.file, { force: true });
      this.setHasFile(false);
      return;
    }
    fs.mkdirSync(this.dir, { recursive: true });
    const temp = `${this.file}.${process.pid}.tmp`;
    fs.writeFileSync(temp, JSON.stringify(messages));
    fs.renameSync(temp, this.file);
    this.setHasFile(true);
  }
}

/** The parsed JSON, or undefined when the text is not JSON. */
function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
