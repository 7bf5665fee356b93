import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, test } from 'node:test';
import { MuteState } from '../../src/vscode/mute-state';

describe('mute shared by the windows of a profile', () => {
  let dir: string;
  let states: MuteState[] = [];
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'mute-'))));
  afterEach(() => {
    states.forEach((s) => s.dispose());
    states = [];
    rmSync(dir, { recursive: true, force: true });
  });
  const window = (onChange: () => void = () => undefined) => {
    const state = new MuteState(dir, onChange);
    states.push(state);
    return state;
  };

  test('a mute set in one window applies at once to runs reported in another', async () => {
    let changes = 0;
    const here = window();
    const there = window(() => (changes += 1));

    const until = await here.mute(30);
    assert.equal(there.refresh(), until, 'read when a run is reported, no cached copy');
    assert.equal(changes, 1, 'the other window hears of it once');
    assert.equal(there.refresh(), until);
    assert.equal(changes, 1);

    assert.equal(await there.unmute(), true);
    assert.equal(here.mutedUntil(), undefined);
  });

  test('an unmuted window keeps no timer; a mute keeps one until it runs out', async () => {
    let changes = 0;
    const state = window(() => (changes += 1));
    assert.equal(state.hasTimers(), false, 'no polling while nothing is muted');

    await state.mute(0.005);
    assert.equal(state.hasTimers(), true);
    assert.equal(changes, 1);
    const deadline = Date.now() + 3_000;
    while (changes < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));

    assert.equal(changes, 2, 'told when the mute ran out');
    assert.equal(state.mutedUntil(), undefined);
    assert.equal(state.hasTimers(), false);
  });

  test('a window started during another window’s mute sees it and ends with it', async () => {
    const until = await window().mute(60);
    const later = window();
    assert.equal(later.mutedUntil(), until);
    assert.equal(later.hasTimers(), true);
  });
});
