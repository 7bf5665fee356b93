/**
 * Burst worker: 200 finished-task events spread evenly over 10 s, all for one group, through
 * the notifier and the delivery queue with Telegram's flood limits, to the emulator with the
 * same limits enforced (429 with retry_after when a send comes too fast). Reports how many
 * messages went out, how many 429s came back, and when the last of the 200 verdicts was
 * delivered, counted from the first event. Every task name is then looked for in what the
 * emulator received, so a lost verdict shows as `missing`.
 *
 * Usage (through bench.ts): node --import tsx scripts/bench/burst.ts COUNT SPREAD_MS
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { memoryLogger } from '../../src/core/log';
import { Notifier } from '../../src/core/notifier';
import { DeliveryQueue } from '../../src/core/queue';
import { FileOutbox } from '../../src/vscode/outbox';
import {
  BENCH_TOKEN,
  REPORT_EVERYTHING,
  finishedTask,
  lazyBenchApi,
  runWorker,
  startTlsEmulator,
  unfocused,
} from './common';

async function main(): Promise<object> {
  const count = Number(process.argv[2] ?? 200);
  const spreadMs = Number(process.argv[3] ?? 10_000);
  const emu = await startTlsEmulator({ limits: true });
  emu.addBot({ token: BENCH_TOKEN, username: 'bench_bot' });
  const group = emu.addGroup({ title: 'Builds', bots: [BENCH_TOKEN] });

  const storage = mkdtempSync(join(tmpdir(), 'bench-outbox-'));
  const log = memoryLogger();
  const outbox = new FileOutbox(storage, log);
  const client = lazyBenchApi(emu);
  let verdicts = 0;
  let allDelivered: (at: number) => void = () => undefined;
  const lastVerdict = new Promise<number>((resolve) => (allDelivered = resolve));
  const queue = new DeliveryQueue({
    api: client.api,
    store: outbox,
    stillOwner: () => outbox.stillOwner(),
    log,
    onDelivered: (_chat, n) => {
      verdicts += n;
      if (verdicts >= count) allDelivered(performance.now());
    },
  });
  const notifier = new Notifier({
    filterSettings: () => REPORT_EVERYTHING,
    filterContext: unfocused,
    chats: () => [{ id: group.id, type: 'group', title: 'Builds' }],
    send: async (chat, message) => void queue.enqueue(chat, message),
    log,
  });

  const start = performance.now();
  for (let n = 0; n < count; n++) {
    const due = start + (n * spreadMs) / count;
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, due - performance.now())));
    await notifier.report(finishedTask(n));
  }
  const lastVerdictMs = (await lastVerdict) - start;

  await queue.stop();
  outbox.release([]);
  await client.close();
  rmSync(storage, { recursive: true, force: true });
  const received = emu
    .sentMessages({ chatId: group.id })
    .map((m) => m.text)
    .join('\n');
  const missing = Array.from({ length: count }, (_, n) => finishedTask(n).name).filter(
    (name) => !received.includes(name),
  ).length;
  const calls = emu.requests.filter((r) => r.method === 'sendMessage');
  await emu.close();
  return {
    sent: emu.sentMessages({ chatId: group.id }).length,
    calls: calls.length,
    tooMany: calls.filter((r) => r.status === 429).length,
    lastVerdictMs,
    missing,
  };
}

runWorker(main);
