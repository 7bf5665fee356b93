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
  return undefined;
}
