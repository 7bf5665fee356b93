import * as fs from 'node:fs';
import * as path from 'node:path';

/** The file, in the profile's global storage folder, that holds the end of the mute. */
const FILE_NAME = 'mute.json';

/** setTimeout holds delays up to 2^31 - 1 ms (about 24 days); a mute lasts a week at most. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * The mute, shared by every window of the profile: its end time in a small file in the
 * extension's global storage folder. Not `globalState`: a window keeps its own cached copy
 * of that and does not reliably see another window's update.
 *
 * Nothing polls. The file is read when the state matters: when a run is reported
 * ({@link refresh}), when the window gets focus (the editor layer calls {@link refresh}), and
 * when this window mutes or unmutes. `onChange` fires when the state this window last saw
 * changes, and when a mute runs out; the only timer is the one for that end, kept while
 * this window knows of a mute.
 *
 * No `vscode` import, so it is unit-tested in Node.
 */
export class MuteState {
  private readonly file: string;
  private last: number | undefined;
  private expiry: NodeJS.Timeout | undefined;

  constructor(
    storageDir: string,
    private readonly onChange: () => void,
  ) {
    this.file = path.join(storageDir, FILE_NAME);
    this.last = this.mutedUntil();
    this.armExpiry();
  }

  /** Epoch ms until which notifications are muted, or undefined when they are not. */
  mutedUntil(now = Date.now()): number | undefined {
    let until: unknown;
    try {
      until = (JSON.parse(fs.readFileSync(this.file, 'utf8')) as { mutedUntil?: unknown })
        .mutedUntil;
    } catch {
      return undefined;
    }
    return typeof until === 'number' && until > now ? until : undefined;
  }

  /** Reads the shared state, tells `onChange` if it moved since last seen, and returns it. */
  refresh(): number | undefined {
    const now = this.mutedUntil();
    if (now !== this.last) {
      this.last = now;
      this.armExpiry();
      this.onChange();
    }
    return now;
  }

  async mute(minutes: number): Promise<number> {
    const until = Date.now() + Math.round(minutes * 60_000);
    await this.write(until);
    this.refresh();
    return until;
  }

  /** Resolves to whether notifications were muted. */
  async unmute(): Promise<boolean> {
    const was = this.mutedUntil() !== undefined;
    await this.write(undefined);
    this.refresh();
    return was;
  }

  /** Whether the timer for the end of a mute is set. */
  hasTimers(): boolean {
    return this.expiry !== undefined;
  }

  dispose(): void {
    clearTimeout(this.expiry);
    this.expiry = undefined;
  }

  private async write(until: number | undefined): Promise<void> {
    if (until === undefined) {
      await fs.promises.rm(this.file, { force: true });
      return;
    }
    await fs.promises.mkdir(path.dirname(this.file), { recursive: true });
    const temp = `${this.file}.${process.pid}.tmp`;
    await fs.promises.writeFile(temp, JSON.stringify({ mutedUntil: until }));
    await fs.promises.rename(temp, this.file);
  }

  private armExpiry(): void {
    clearTimeout(this.expiry);
    this.expiry = undefined;
    if (this.last === undefined) return;
    const wait = Math.min(Math.max(0, this.last - Date.now() + 50), MAX_TIMER_MS);
    this.expiry = setTimeout(() => {
      this.expiry = undefined;
      this.refresh();
    }, wait);
    this.expiry.unref?.();
  }
}
