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
  const trimmed = pattern.trim();
  if (trimmed === '') return false;
  const source = [...trimmed]
    .map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[\\^$.|+()[\]{}]/g, '\\$&')))
    .join('');
  return new RegExp(`^${source}$`, 'isu').test(name.trim());
}
