/**
 * Editor worker: the production bundle (dist/extension.js) activated with the vscode
 * stand-in against the emulator over TLS, driven through its own commands.
 *
 * - Detection: `telegramNotifier.detectChat` waits (long-polling getUpdates); once that poll
 *   is at the emulator, the user's `/start CODE` arrives there, and the time runs until the
 *   extension writes the pinned chat to its settings (after confirming the update, getting
 *   the chat and sending the confirmation message, as the command does).
 * - Idle: after setup (token stored, chat pinned), nothing happens for IDLE_MS. Counted: HTTP
 *   requests at the emulator, timer callbacks the extension ran, and the extension's timers
 *   still pending at the end, with their period and whether they keep a process alive.
 *   Timers are attributed by the stack that created them (dist/extension.js or
 *   dist/transport.js).
 *
 * Usage (through bench.ts): node --import tsx scripts/bench/editor.ts DETECTIONS IDLE_MS
 */
import { createHook } from 'node:async_hooks';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, sep } from 'node:path';
import type { Emulator } from '../../test/emulator';
import { BENCH_TOKEN, benchDist, runWorker, sleep, startTlsEmulator } from './common';
import { createStandIn, installStandIn } from './stand-in.mjs';

type Owner = 'extension' | 'transport';

interface TimerInfo {
  owner: Owner;
  timer: NodeJS.Timeout;
  fired: number;
}

/** Every timer the bundle creates, by async id. */
const timers = new Map<number, TimerInfo>();
const bundleFile = (name: string) => `${sep}dist${sep}${name}`;

/** Capturing a stack per timer is slow: the hook is on only around activation and idling. */
const hook = createHook({
  init(asyncId, type, _trigger, resource) {
    if (type !== 'Timeout') return;
    const stack = new Error().stack ?? '';

    const owner = ownerOf(stack);
    if (owner) timers.set(asyncId, { owner, timer: resource as NodeJS.Timeout, fired: 0 });
  },
  before(asyncId) {
    const info = timers.get(asyncId);
    if (info) info.fired += 1;
  },
});

function ownerOf(stack: string): Owner | undefined {
  if (stack.includes(bundleFile('transport.js'))) return 'transport';
  if (stack.includes(bundleFile('extension.js'))) return 'extension';
  return undefined;
}

async function main(): Promise<object> {
  const detections = Number(process.argv[2] ?? 5);
  const idleMs = Number(process.argv[3] ?? 10_000);
  Error.stackTraceLimit = 50;
  // Stack frames must name the bundle's own files, not the sources a map points to.
  process.setSourceMapsEnabled(false);

  const emu = await startTlsEmulator();
  emu.addBot({ token: BENCH_TOKEN, username: 'bench_bot' });
  const ann = emu.addUser({ firstName: 'Ann' });
  const storage = mkdtempSync(join(tmpdir(), 'bench-editor-'));
  const standIn = createStandIn({
    storageDir: storage,
    settings: {
      'telegramNotifier.apiBaseUrl': emu.url,
      'telegramNotifier.minDurationSeconds': 0,
    },
  });
  installStandIn(standIn.vscode);

  hook.enable();
  const require = createRequire(import.meta.url);
  const extension = require(join(benchDist(), 'extension.js')) as {
    activate(context: unknown): unknown;
  };
  extension.activate(standIn.context);
  hook.disable();
  const run = (name: string, ...args: unknown[]) =>
    standIn.vscode.commands.executeCommand(`telegramNotifier.${name}`, ...args);

  const bot = (await run('setToken', BENCH_TOKEN)) as { botId: string } | undefined;
  if (!bot) throw new Error(`setToken failed: ${standIn.notices.join(' | ')}`);

  const detectionMs: number[] = [];
  for (let i = 0; i < detections; i++)
    detectionMs.push(await detectOnce(emu, standIn, run, ann.id, i));

  const idle = await idleWindow(emu, idleMs);
  for (const item of standIn.context.subscriptions as { dispose(): unknown }[]) item.dispose();
  await emu.close();
  rmSync(storage, { recursive: true, force: true });
  const leaked = standIn.logLines.concat(standIn.notices).some((l) => l.includes(BENCH_TOKEN));
  return { detectionMs, idle, tokenInLog: leaked };
}

async function detectOnce(
  emu: Emulator,
  standIn: ReturnType<typeof createStandIn>,
  run: (name: string, ...args: unknown[]) => Promise<unknown>,
  userId: number,
  i: number,
): Promise<number> {
  const code = `BENCHCODE${i}`;
  let pinnedAt = 0;
  const pinned = new Promise<void>((resolve) => {
    const watch = standIn.onSettingWritten(({ key }: { key: string }) => {
      if (key !== 'telegramNotifier.chats') return;
      pinnedAt = performance.now();
      watch.dispose();
      resolve();
    });
  });
  const before = emu.requests.length;
  const result = run('detectChat', { code, timeoutSeconds: 60 }) as Promise<{ status: string }>;
  await until(() =>
    emu.requests.slice(before).some((r) => r.method === 'getUpdates' && r.status === 0),
  );

  const codeArrived = performance.now();
  emu.privateMessage(BENCH_TOKEN, userId, `/start ${code}`);
  await pinned;
  const outcome = await result;
  if (outcome.status !== 'pinned') throw new Error(`detectChat ended ${outcome.status}`);
  return pinnedAt - codeArrived;
}

/** Waits (polling every millisecond) until `condition` holds; at most 10 s. */
async function until(condition: () => boolean): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out waiting for the extension');
    await sleep(1);
  }
}

async function idleWindow(emu: Emulator, idleMs: number) {
  const requestsBefore = emu.requests.length;
  const firedBefore = new Map([...timers].map(([id, t]) => [id, t.fired]));
  hook.enable();
  await sleep(idleMs);
  hook.disable();

  const fired = { extension: 0, transport: 0 };
  for (const [id, info] of timers) fired[info.owner] += info.fired - (firedBefore.get(id) ?? 0);
  const pending = [...timers.values()]
    .filter((t) => !(t.timer as unknown as { _destroyed: boolean })._destroyed)
    .map((t) => ({
      owner: t.owner,
      everyMs: (t.timer as unknown as { _repeat: number | null })._repeat ?? undefined,
      afterMs: (t.timer as unknown as { _idleTimeout: number })._idleTimeout,
      keepsAlive: t.timer.hasRef(),
    }));
  return { requests: emu.requests.length - requestsBefore, fired, pending };
}

runWorker(main);
