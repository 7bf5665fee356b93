/**
 * A lease in a file, so that only one VS Code window polls a bot's updates at a time (two
 * pollers make Telegram answer 409 to one of them). The holder renews it while it polls; a
 * window that crashed stops renewing, and its lease lapses after `ttlMs`.
 *
 * Creation uses the exclusive `wx` flag, so two windows cannot both create the file. Taking
 * over a lapsed lease renames it away first; two windows doing that in the same millisecond
 * could both succeed, a window small enough to accept (the loser then sees a 409, which is
 * explained to the user like any rival poller).
 */
import { mkdir, readFile, rename, unlink, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

export interface LeaseHolder {
  /** Unique per holder (a random id per discovery run). */
  owner: string;
  /** What the holder is doing, in words shown to the user who is told to wait. */
  purpose: string;
  /** Epoch milliseconds. */
  expiresAt: number;
}

export type LeaseResult = { acquired: true } | { acquired: false; holder: LeaseHolder };

export class FileLease {
  constructor(
    private readonly path: string,
    private readonly now: () => number = Date.now,
    private readonly ttlMs = 30_000,
  ) {}

  async acquire(owner: string, purpose: string): Promise<LeaseResult> {
    await mkdir(dirname(this.path), { recursive: true });
    for (let attempt = 0; attempt < 2; attempt++) {
      if (await this.create(owner, purpose)) return { acquired: true };

      const holder = (await this.read()) ?? (await this.readAgainSoon());
      if (holder && holder.owner !== owner && holder.expiresAt > this.now()) {
        return { acquired: false, holder };
      }
      await this.takeOverLapsed(owner);
    }
    const holder = await this.read();
    return holder ? { acquired: false, holder } : { acquired: true };
  }

  /** Extends the lease; false when it is no longer ours (it lapsed and someone took it). */
  async renew(owner: string): Promise<boolean> {
    const holder = await this.read();
    if (holder?.owner !== owner) return false;
    // Write aside and rename, so a reader never sees a half-written file.
    const next = `${this.path}.${owner}.next`;
    await writeFile(next, this.serialize(owner, holder.purpose));
    await rename(next, this.path);
    return true;
  }

  async release(owner: string): Promise<void> {
    const holder = await this.read();
    if (holder?.owner === owner) await unlink(this.path).catch(() => undefined);
  }

  private async create(owner: string, purpose: string): Promise<boolean> {
    try {
      await writeFile(this.path, this.serialize(owner, purpose), { flag: 'wx' });
      return true;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
      throw err;
    }
  }

  private async takeOverLapsed(owner: string): Promise<void> {
    const aside = `${this.path}.${owner}.lapsed`;
    try {
      await rename(this.path, aside);
      await unlink(aside);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
  }

  private async read(): Promise<LeaseHolder | undefined> {
    try {
      const value = JSON.parse(await readFile(this.path, 'utf8')) as Partial<LeaseHolder>;
      const valid =
        typeof value.owner === 'string' &&
        typeof value.purpose === 'string' &&
        typeof value.expiresAt === 'number';
      return valid ? (value as LeaseHolder) : undefined;
    } catch {
      return undefined;
    }
  }

  /** A file just created with `wx` may be empty for a moment: look once more before judging. */
  private async readAgainSoon(): Promise<LeaseHolder | undefined> {
    await new Promise((resolve) => setTimeout(resolve, 50));
    return this.read();
  }

  private serialize(owner: string, purpose: string): string {
    return JSON.stringify({ owner, purpose, expiresAt: this.now() + this.ttlMs });
  }
}
