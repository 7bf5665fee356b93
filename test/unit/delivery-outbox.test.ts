import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, test } from 'node:test';
import { memoryLogger } from '../../src/core/log';
import type { QueuedMessage } from '../../src/core/outbox';
import { FileOutbox } from '../../src/vscode/outbox';

const message = (id: string): QueuedMessage => ({
  id,
  chat: { id: 42 },
  message: { text: `run ${id} failed` },
  queuedAt: 1,
});

describe('file outbox shared by windows of one profile', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'outbox-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  test('a live window keeps its messages: another window adopts nothing', async () => {
    const first = new FileOutbox(dir, memoryLogger());
    first.save([message('a')]);
    await first.flush();

    const second = new FileOutbox(dir, memoryLogger());
    assert.deepEqual(await second.adoptOrphans(), []);
    assert.equal(await first.stillOwner(), true);
  });

  test('messages of a closed window go to exactly one of two windows looking at once', async () => {
    const closing = new FileOutbox(dir, memoryLogger());
    closing.save([message('a'), message('b')]);
    await closing.flush();
    closing.release();

    const left = new FileOutbox(dir, memoryLogger());
    const right = new FileOutbox(dir, memoryLogger());
    const [l, r] = await Promise.all([left.adoptOrphans(), right.adoptOrphans()]);
    assert.deepEqual(
      [...l, ...r].map((m) => m.id),
      ['a', 'b'],
    );
    assert.ok(l.length === 0 || r.length === 0, 'not split or doubled');
  });

  test('a window whose file was adopted while it slept forgets its messages', async () => {
    const sleeper = new FileOutbox(dir, memoryLogger());
    sleeper.save([message('a')]);
    await sleeper.flush();
    // Looks gone: as if it had not touched its file for a minute.
    sleeper.release();

    const adopter = new FileOutbox(dir, memoryLogger());
    assert.equal((await adopter.adoptOrphans()).length, 1);
    assert.equal(await sleeper.stillOwner(), false);
  });

  test('a window keeps one file however many changes, and none once nothing waits', async () => {
    const outbox = new FileOutbox(dir, memoryLogger());
    for (let i = 0; i < 200; i++) outbox.save([message(String(i))]);
    await outbox.flush();
    assert.equal(readdirSync(join(dir, 'outbox')).length, 1);
    outbox.save([]);
    await outbox.flush();
    assert.deepEqual(readdirSync(join(dir, 'outbox')), []);
  });
});
