/**
 * Dispatch worker: 200 finished-task events, one at a time, through the notifier, the
 * delivery queue (with its file outbox) and the Bot API client over the production
 * transport to the emulator over TLS with keep-alive. Each latency runs from `report(run)`
 * to the emulator accepting the sendMessage. Then, in the same process and against the same
 * emulator, the baseline: node:https with `agent: false`, a new TLS connection per message.
 *
 * The queue's flood limits are lifted here (and the emulator enforces none): this measures
 * the path, not Telegram's one-message-per-second rule; the burst worker measures that.
 *
 * Usage (through bench.ts): node --import tsx scripts/bench/dispatch.ts COUNT ORDER
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import * as https from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { memoryLogger } from '../../src/core/log';
import { Notifier } from '../../src/core/notifier';
import { DeliveryQueue } from '../../src/core/queue';
import type { RateLimits } from '../../src/core/rate-limit';
import { FileOutbox } from '../../src/vscode/outbox';
import type { Emulator } from '../../test/emulator';
import {
  BENCH_TOKEN,
  REPORT_EVERYTHING,
  TLS_ENV,
  finishedTask,
  lazyBenchApi,
  runWorker,
  startTlsEmulator,
  unfocused,
} from './common';

const NO_LIMITS: RateLimits = {
  perChat: { perSecond: 1e9, burst: 1e9 },
  perGroup: { perMinute: 1e9, burst: 1e9 },
  perBot: { perSecond: 1e9, burst: 1e9 },
};

/** Resolves with the time the emulator accepted the next message. */
let arrival: ((at: number) => void) | undefined;
const nextArrival = () => new Promise<number>((resolve) => (arrival = resolve));

async function main(): Promise<object> {
  const count = Number(process.argv[2] ?? 200);
  const baselineFirst = process.argv[3] === 'baseline-first';
  const emu = await startTlsEmulator({ onSent: () => arrival?.(performance.now()) });
  emu.addBot({ token: BENCH_TOKEN, username: 'bench_bot' });
  const ann = emu.addUser({ firstName: 'Ann' });
  emu.setStarted(BENCH_TOKEN, ann.id);

  const ours = () => viaExtension(emu, ann.id, count);
  const plain = () => viaPlainHttps(emu, ann.id, count);
  const [extension, baseline] = baselineFirst
    ? await plain().then(async (b) => [await ours(), b])
    : await ours().then(async (e) => [e, await plain()]);

  const refused = emu.requests.filter((r) => r.status !== 200).length;
  await emu.close();
  return { extension, baseline, refused };
}

/** The extension's path, with the transport loaded on the first send as in the editor. */
async function viaExtension(emu: Emulator, chatId: number, count: number) {
  const storage = mkdtempSync(join(tmpdir(), 'bench-outbox-'));
  const log = memoryLogger();
  const outbox = new FileOutbox(storage, log);
  const client = lazyBenchApi(emu);
  const queue = new DeliveryQueue({
    api: client.api,
    store: outbox,
    stillOwner: () => outbox.stillOwner(),
    log,
    limits: NO_LIMITS,
  });
  const notifier = new Notifier({
    filterSettings: () => REPORT_EVERYTHING,
    filterContext: unfocused,
    chats: () => [{ id: chatId, type: 'private' }],
    send: async (chat, message) => void queue.enqueue(chat, message),
    log,
  });

  const latencies: number[] = [];
  for (let n = 0; n < count; n++) {
    const arrived = nextArrival();
    const start = performance.now();
    await notifier.report(finishedTask(n));
    latencies.push((await arrived) - start);
    await queue.settled();
  }
  await queue.stop();
  outbox.release([]);
  await client.close();
  rmSync(storage, { recursive: true, force: true });
  return latencies;
}

/**
 * What a one-shot notifier pays: a new TCP and TLS connection for every message, no queue.
 * The body is the same sendMessage JSON; the time runs from opening the request.
 */
async function viaPlainHttps(emu: Emulator, chatId: number, count: number) {
  const ca = readFileSync(process.env[TLS_ENV.cert] ?? '');
  const url = new URL(`${emu.url}/bot${BENCH_TOKEN}/sendMessage`);
  const latencies: number[] = [];
  for (let n = 0; n < count; n++) {
    const body = JSON.stringify({ chat_id: chatId, text: `✅ ${finishedTask(n).name} succeeded` });
    const arrived = nextArrival();
    const start = performance.now();
    const done = postOnce(url, body, ca);
    latencies.push((await arrived) - start);
    await done;
  }
  return latencies;
}

function postOnce(url: URL, body: string, ca: Buffer): Promise<void> {
  return new Promise((resolve, reject) => {
    const request = https.request(
      url,
      {
        method: 'POST',
        agent: false,
        ca,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
      },
      (response) => {
        response.resume();
        response.on('end', resolve);
      },
    );
    request.on('error', reject);
    request.end(body);
  });
}

runWorker(main);
