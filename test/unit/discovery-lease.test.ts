import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { FileLease } from '../../src/core/discovery/lease';

describe('FileLease', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'lease-'));
  after(() => rm(dir, { recursive: true, force: true }));
  let n = 0;
  const fresh = () => join(dir, `nested/lease-${n++}.json`);

  test('the first window gets the lease; a second is told who holds it and why', async () => {
    const path = fresh();
    const one = new FileLease(path, () => 1000);
    const two = new FileLease(path, () => 2000);
    assert.deepEqual(await one.acquire('window-1', 'detecting a chat for @build_bot'), {
      acquired: true,
    });
    const refused = await two.acquire('window-2', 'detecting a chat for @build_bot');
    assert.equal(refused.acquired, false);
    assert.equal(!refused.acquired && refused.holder.owner, 'window-1');
    assert.equal(!refused.acquired && refused.holder.purpose, 'detecting a chat for @build_bot');
  });

  test('once released, the lease is free for the next window', async () => {
    const path = fresh();
    const lease = new FileLease(path, () => 0);
    await lease.acquire('window-1', 'x');
    await lease.release('window-1');
    assert.deepEqual(await lease.acquire('window-2', 'x'), { acquired: true });
  });

  test('a lease its holder stopped renewing lapses and can be taken over', async () => {
    const path = fresh();
    let now = 0;
    const lease = new FileLease(path, () => now, 30_000);
    await lease.acquire('crashed-window', 'x');
    now = 29_999;
    assert.equal((await lease.acquire('window-2', 'x')).acquired, false);
    now = 30_000;
    assert.deepEqual(await lease.acquire('window-2', 'x'), { acquired: true });
    assert.equal(await lease.renew('crashed-window'), false);
  });

  test('renewing pushes the expiry forward for its holder only', async () => {
    const path = fresh();
    let now = 0;
    const lease = new FileLease(path, () => now, 30_000);
    await lease.acquire('window-1', 'x');
    now = 20_000;
    assert.equal(await lease.renew('window-1'), true);
    now = 45_000;
    assert.equal((await lease.acquire('window-2', 'x')).acquired, false);
    const stored = JSON.parse(await readFile(path, 'utf8')) as { expiresAt: number };
    assert.equal(stored.expiresAt, 50_000);
  });

  test('releasing someone else’s lease leaves it in place', async () => {
    const path = fresh();
    const lease = new FileLease(path, () => 0);
    await lease.acquire('window-1', 'x');
    await lease.release('window-2');
    assert.equal((await lease.acquire('window-2', 'x')).acquired, false);
  });

  test('a damaged lease file does not block discovery for good', async () => {
    const path = fresh();
    const lease = new FileLease(path, () => 0);
    await lease.acquire('window-1', 'x');
    await writeFile(path, '{ not json');
    assert.deepEqual(await lease.acquire('window-2', 'x'), { acquired: true });
  });
});
