/**
 * Decides whether a finished run is worth a message. Pure: the editor layer supplies the
 * settings and the window's focus state.
 */
import { type FinishedRun, type RunKind, verdictOf } from './events';

export interface FilterSettings {
  /** Which kinds of run are reported. */
  kinds: Record<RunKind, boolean>;
  /** Runs shorter than this are not reported; 0 reports every run. */
  minDurationSeconds: number;
  /** Report only while the editor window does not have focus. */
  onlyWhenUnfocused: boolean;
  /** Report failures only (successes and unknown outcomes are skipped). */
  onlyFailures: boolean;
  /** When not empty, only runs whose name matches one of these wildcard patterns. */
  includeNames?: string[];
  /** Runs whose name matches one of these wildcard patterns are skipped; beats include. */
  excludeNames?: string[];
}

export interface FilterContext {
  windowFocused: boolean;
  /** Epoch ms until which everything is muted; undefined when not muted. */
  mutedUntil?: number;
  now: number;
}

/** Returns why the run is skipped, or undefined when it should be reported. */
export function skipReason(
  run: FinishedRun,
  settings: FilterSettings,
  context: FilterContext,
): string | undefined {
  if (!settings.kinds[run.kind]) return `${run.kind} notifications are turned off`;
  if (context.mutedUntil !== undefined && context.mutedUntil > context.now) return 'muted';
  if (run.durationMs < settings.minDurationSeconds * 1000) {
    return `shorter than ${settings.minDurationSeconds} s`;
  }
  if (settings.onlyWhenUnfocused && context.windowFocused) return 'the window has focus';
  if (settings.onlyFailures && verdictOf(run) !== 'failed') return 'not a failure';
  return nameSkipReason(run.name, settings);
}

function nameSkipReason(name: string, settings: FilterSettings): string | undefined {
  const exclude = (settings.excludeNames ?? []).find((p) => matchesPattern(name, p));
  if (exclude !== undefined) return `the name matches the exclude pattern "${exclude}"`;
  const include = (settings.includeNames ?? []).filter((p) => p.trim() !== '');
  if (include.length > 0 && !include.some((p) => matchesPattern(name, p))) {
    return 'the name matches no include pattern';
  }
  return undefined;
}

/**
 * Wildcard match of a whole name, ignoring case: `*` stands for any text (also none), `?`
 * for one character; everything else is literal. `npm: *` matches every npm script task.
 * An empty pattern matches nothing.
 */
export function matchesPattern(name: string, pattern: string): boolean {
  const p = Array.from(pattern.trim().toLowerCase());
  if (p.length === 0) return false;
  return wildcardMatch(Array.from(name.trim().toLowerCase()), p);
}

/**
 * Greedy wildcard matching that remembers only the last `*` (no regular expression), so a
 * pattern like `*-*-*-x` against a long command line costs at most name × pattern steps
 * instead of backtracking exponentially.
 */
function wildcardMatch(name: string[], pattern: string[]): boolean {
  let n = 0;
  let p = 0;
  let star = -1;
  let resume = 0;
  while (n < name.length) {
    if (p < pattern.length && (pattern[p] === '?' || pattern[p] === name[n])) {
      n += 1;
      p += 1;
    } else if (p < pattern.length && pattern[p] === '*') {
      star = p;
      resume = n;
      p += 1;
    } else if (star >= 0) {
      p = star + 1;
      resume += 1;
      n = resume;
    } else {
      return false;
    }
  }
  while (p < pattern.length && pattern[p] === '*') p += 1;
  return p === pattern.length;
}
