import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { FinishedRun } from '../../src/core/events';
import { type FilterSettings, skipReason } from '../../src/core/filter';

const settings: FilterSettings = {
  kinds: { task: true, debug: true, terminal: false },
  minDurationSeconds: 10,
  onlyWhenUnfocused: false,
  onlyFailures: false,
};
const context = { windowFocused: false, now: 1_000_000 };
const run: FinishedRun = { kind: 'task', name: 'build', exitCode: 1, durationMs: 20_000, endedAt: 0 };

describe('skipReason', () => {
  test('reports a long failed task', () => {
    assert.equal(skipReason(run, settings, context), undefined);
  });

  test('skips runs shorter than the minimum duration, and 0 reports every run', () => {
    assert.match(skipReason({ ...run, durationMs: 9_999 }, settings, context) ?? '', /shorter/);
    const everything = { ...settings, minDurationSeconds: 0 };
    assert.equal(skipReason({ ...run, durationMs: 0 }, everything, context), undefined);
  });

  test('skips a kind that is turned off', () => {
    assert.match(skipReason({ ...run, kind: 'terminal' }, settings, context) ?? '', /turned off/);
  });

  test('skips while muted and reports again once the mute has passed', () => {
    assert.equal(skipReason(run, settings, { ...context, mutedUntil: context.now + 1 }), 'muted');
    assert.equal(skipReason(run, settings, { ...context, mutedUntil: context.now }), undefined);
  });

  test('with onlyWhenUnfocused, skips while the window has focus', () => {
    const s = { ...settings, onlyWhenUnfocused: true };
    assert.match(skipReason(run, s, { ...context, windowFocused: true }) ?? '', /focus/);
    assert.equal(skipReason(run, s, context), undefined);
  });

  test('with onlyFailures, skips successes and unknown outcomes', () => {
    const s = { ...settings, onlyFailures: true };
    assert.equal(skipReason({ ...run, exitCode: 0 }, s, context), 'not a failure');
    assert.equal(skipReason({ ...run, exitCode: undefined }, s, context), 'not a failure');
    assert.equal(skipReason(run, s, context), undefined);
  });
});
