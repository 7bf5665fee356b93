/**
 * Plain descriptions of finished work, made by the editor adapters and consumed by the
 * filter and the renderer. No `vscode` types here, so the pure logic is testable in Node.
 */

export type RunKind = 'task' | 'debug' | 'terminal';

export type Verdict = 'succeeded' | 'failed' | 'unknown';

export interface FinishedRun {
  kind: RunKind;
  /** Task name, debug configuration name, or the terminal command line. */
  name: string;
  /** Task source (`Workspace`, `npm`, …) or debug type (`node`, `python`, …). */
  source?: string;
  /** The workspace folder's name, or the workspace's when the run has no folder. */
  workspace?: string;
  /** Undefined when the editor could not tell; reported as unknown, never guessed. */
  exitCode?: number;
  durationMs: number;
  /** The last lines of output, when the adapter could see them. */
  outputTail?: string;
  /** Epoch milliseconds when the run ended. */
  endedAt: number;
}

export function verdictOf(run: Pick<FinishedRun, 'exitCode'>): Verdict {
  if (run.exitCode === undefined) return 'unknown';
  return run.exitCode === 0 ? 'succeeded' : 'failed';
}

/** `1.2 s`, `3 min 04 s`, `1 h 02 min`: short enough for a phone's lock screen. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return 'unknown';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const seconds = ms / 1000;
  if (seconds < 60) return `${seconds.toFixed(1)} s`;
  const whole = Math.round(seconds);
  const h = Math.floor(whole / 3600);
  const m = Math.floor((whole % 3600) / 60);
  const s = whole % 60;
  if (h > 0) return `${h} h ${String(m).padStart(2, '0')} min`;
  return `${m} min ${String(s).padStart(2, '0')} s`;
}
