import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
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
  let started: FileOutbox[] = [];
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'outbox-'))));
  afterEach(() => {
    // A started outbox watches its folder; a failed test must not leave the watch open.
    started.forEach((outbox) => outbox.release([]));
    started = [];
    rmSync(dir, { recursive: true, force: true });
  });
  const watched = (outbox: FileOutbox) => (started.push(outbox), outbox);

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

  test('an idle window keeps no timer: the heartbeat runs only while its messages wait', async () => {
    const outbox = watched(new FileOutbox(dir, memoryLogger()));
    await outbox.start(() => undefined);
    assert.equal(outbox.hasTimers(), false, 'idle after start');

    outbox.save([message('a')]);
    await outbox.flush();
    assert.equal(outbox.hasTimers(), true, 'a heartbeat while a message waits');
    outbox.save([]);
    await outbox.flush();
    assert.equal(outbox.hasTimers(), false, 'idle again once it is delivered');
    outbox.release([]);
  });

  test('an idle window adopts a closing window’s messages at once, without polling', async () => {
    const idle = watched(new FileOutbox(dir, memoryLogger()));
    const adopted: string[] = [];
    await idle.start((found) => adopted.push(...found.map((m) => m.id)));

    const closing = new FileOutbox(dir, memoryLogger());
    closing.save([message('a'), message('b')]);
    await closing.flush();
    closing.release();
    await until(() => adopted.length === 2, 2_000);

    assert.deepEqual(adopted, ['a', 'b']);
    idle.release([]);
  });

  test('a crashed window’s file is adopted when it goes stale, by a timer set only while it exists', async () => {
    // What a crashed window leaves: its file, which nobody touches again.
    mkdirSync(join(dir, 'outbox'));
    writeFileSync(join(dir, 'outbox', 'crashed-1.json'), JSON.stringify([message('a')]));
    const survivor = watched(new FileOutbox(dir, memoryLogger(), { staleMs: 300 }));
    const adopted: string[] = [];
    await survivor.start((found) => adopted.push(...found.map((m) => m.id)));
    assert.equal(survivor.hasTimers(), true, 'a check for when the file goes stale');
    await until(() => adopted.length === 1, 3_000);

    assert.deepEqual(adopted, ['a']);
    await until(() => !survivor.hasTimers(), 1_000);
    await until(() => readdirSync(join(dir, 'outbox')).length === 0, 1_000);
    survivor.release([]);
  });

  /** A file a gone window left in the outbox folder, already stale. */
  function leftBehind(name: string, content: string): void {
    mkdirSync(join(dir, 'outbox'), { recursive: true });
    writeFileSync(join(dir, 'outbox', name), content);
    utimesSync(join(dir, 'outbox', name), new Date(0), new Date(0));
  }

  test('a damaged outbox file is moved to corrupt/ once, with one warning, and never adopted again', async () => {
    // Regression (QA outbox-corrupt): each window renamed it again, its name growing each time.
    leftBehind('crashed-1.json', JSON.stringify([message('a'), message('b')]).slice(0, 60));
    const firstLog = memoryLogger();
    const first = new FileOutbox(dir, firstLog);
    assert.deepEqual(await first.adoptOrphans(), []);

    const corrupt = join(dir, 'outbox', 'corrupt', 'crashed-1.json');
    assert.deepEqual(readdirSync(join(dir, 'outbox')), ['corrupt']);
    assert.deepEqual(readdirSync(join(dir, 'outbox', 'corrupt')), ['crashed-1.json']);
    const warnings = firstLog.lines.filter((l) => l.startsWith('warn:'));
    assert.equal(warnings.length, 1);
    assert.ok(warnings[0].includes(corrupt), warnings[0]);

    const secondLog = memoryLogger();
    const second = new FileOutbox(dir, secondLog);
    assert.deepEqual(await second.adoptOrphans(), []);
    assert.deepEqual(secondLog.lines, []);
  });

  test('a file a dead window was adopting keeps its first name when adopted again', async () => {
    // Regression (QA outbox-corrupt): every hand-over prefixed the name with another window id.
    leftBehind('dead-1.adopting-crashed-1.json', JSON.stringify([message('a')]));
    const outbox = new FileOutbox(dir, memoryLogger());
    const adopted = await outbox.adoptOrphans();

    assert.deepEqual(
      adopted.map((m) => m.id),
      ['a'],
    );
    assert.deepEqual(readdirSync(join(dir, 'outbox')), [
      `${outbox.windowId}.adopting-crashed-1.json`,
    ]);
  });

  test('malformed messages in an adopted file are dropped and counted in the log', async () => {
    const bogus = { ...message('b'), message: { text: 'x', parseMode: 'Bogus' } };
    leftBehind('crashed-1.json', JSON.stringify([message('a'), bogus]));
    const log = memoryLogger();
    const adopted = await new FileOutbox(dir, log).adoptOrphans();

    assert.deepEqual(
      adopted.map((m) => m.id),
      ['a'],
    );
    assert.ok(
      log.lines.some((l) => /Dropped 1 malformed message/.test(l)),
      log.lines.join('\n'),
    );
  });
});

async function until(done: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`not within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
