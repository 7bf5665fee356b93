// The fault matrix for the token: one known token driven through every failure path of the
// Bot API client, the delivery queue, sendToChat, discovery, token validation and the Apprise
// import, against the emulator's faults. Every log line (captured before the logger's own
// redaction, so a caller that hands it the token is caught), every error message, stack and
// serialised form, and every text explain.ts makes for the user is searched for the secret,
// and for any 8 characters of it in a row: a cut-off snippet must not leak a part either.
// The packaged .vsix and the built bundle are searched too.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import JSZip from 'jszip';
import { parseAppriseUrl } from '../../src/core/apprise';
import { BotApiClient } from '../../src/core/bot-api';
import { sendToChat } from '../../src/core/delivery';
import { Handshake } from '../../src/core/discovery/handshake';
import { discoverChat } from '../../src/core/discovery/poll';
import { explainFailure } from '../../src/core/explain';
import type { Logger, LogLevel } from '../../src/core/log';
import { MemoryOutbox } from '../../src/core/outbox';
import { type DeliveryProblem, DeliveryQueue } from '../../src/core/queue';
import { describeError } from '../../src/core/redact';
import { parseToken } from '../../src/core/token';
import type { HttpTransport } from '../../src/core/transport';
import { createUndiciTransport } from '../../src/core/undici-transport';
import { type Emulator, type FaultSpec, apiErrorBody, startEmulator } from '../emulator';

const BOT_ID = '6012345678';
const SECRET = 'AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw9';
const TOKEN = `${BOT_ID}:${SECRET}`;
const SECRET_PARTS = Array.from({ length: SECRET.length - 7 }, (_, i) => SECRET.slice(i, i + 8));
/** Anything shaped like a real token: a bot id, a colon, 30 or more secret characters. */
const TOKEN_SHAPE = /\d{5,}:[A-Za-z0-9_-]{30,}/;

/** Where a text came from, and the text: everything the process let out. */
interface Seen {
  where: string;
  text: string;
}

/** The first text holding the secret or any 8 characters of it in a row. */
function leakIn(seen: readonly Seen[]): Seen | undefined {
  return seen.find(({ text }) => SECRET_PARTS.some((part) => text.includes(part)));
}

/** A logger that keeps what callers hand it, before any redaction. */
function rawLogger(seen: Seen[], where: string): Logger {
  const at = (level: LogLevel) => (message: string) =>
    seen.push({ where: `${where} log ${level}`, text: message });
  return {
    trace: at('trace'),
    debug: at('debug'),
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
  };
}

/** An error as every reader could see it: message, stack, cause, own fields, user text. */
function errorTexts(err: unknown, where: string): Seen[] {
  const e = err as Error & { cause?: unknown };
  const fields = JSON.stringify(err, Object.getOwnPropertyNames(err ?? {}));
  return [
    { where: `${where} message`, text: String(e?.message) },
    { where: `${where} stack`, text: String(e?.stack) },
    { where: `${where} cause`, text: String(e?.cause) },
    { where: `${where} fields`, text: fields },
    { where: `${where} describeError`, text: describeError(err) },
    { where: `${where} explained`, text: explain(err) },
  ];
}

function explain(err: unknown): string {
  return explainFailure(err, { baseUrl: 'http://127.0.0.1', chat: 'Ann (42)' });
}

/** A proxy's error page that echoes the request line, token and all (some do). */
function echoingPage(method: string, pad: number): string {
  const head = `<html><body><h1>502 Bad Gateway</h1><p>${'.'.repeat(pad)}`;
  return `${head}upstream failed for POST /bot${TOKEN}/${method}</p></body></html>`;
}

/**
 * The fault matrix: what api.telegram.org, a proxy or the network can answer instead of a
 * result. Each entry is applied to the next call of the method under test.
 */
function faultMatrix(method: string): Array<[string, FaultSpec]> {
  const matrix: Array<[string, FaultSpec]> = [
    ['dropped connection', { drop: true }],
    ['no answer in time', { delayMs: 900 }],
    ['502 HTML page', { status: 502, body: '<html><body>Bad Gateway</body></html>' }],
    [
      '429 with retry_after',
      { status: 429, body: apiErrorBody(429, 'Too Many Requests', { retry_after: 3 }) },
    ],
    ['ok:false at 200', { status: 200, body: apiErrorBody(400, 'Bad Request: chat not found') }],
    ['401', { status: 401, body: apiErrorBody(401, 'Unauthorized') }],
    [
      '403 blocked',
      { status: 403, body: apiErrorBody(403, 'Forbidden: bot was blocked by the user') },
    ],
    ['400 chat not found', { status: 400, body: apiErrorBody(400, 'Bad Request: chat not found') }],
    [
      '400 parse error',
      { status: 400, body: apiErrorBody(400, "Bad Request: can't parse entities") },
    ],
    [
      '400 migrated',
      {
        status: 400,
        body: apiErrorBody(400, 'Bad Request: group chat was upgraded to a supergroup chat', {
          migrate_to_chat_id: -1009876543210,
        }),
      },
    ],
    [
      '409 webhook',
      {
        status: 409,
        body: apiErrorBody(
          409,
          "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first",
        ),
      },
    ],
    [
      '409 rival poller',
      {
        status: 409,
        body: apiErrorBody(
          409,
          'Conflict: terminated by other getUpdates request; make sure that only one bot instance is running',
        ),
      },
    ],
    ['truncated reply', { truncate: true }],
    ['non-JSON text', { status: 200, body: 'hello, this is not JSON', contentType: 'text/plain' }],
    ['empty body', { status: 200, body: '', contentType: 'application/json' }],
    // A server that repeats the request back: the token must be scrubbed from what we keep.
    [
      'ok:false echoing the URL',
      { status: 400, body: apiErrorBody(400, `Bad Request: no route /bot${TOKEN}/${method}`) },
    ],
  ];
  // The snippet of a non-API reply is cut; a cut inside the token must not keep part of it.
  for (const pad of [0, 30, 50, 60, 70, 90]) {
    matrix.push([
      `HTML page echoing the URL (pad ${pad})`,
      { status: 502, body: echoingPage(method, pad) },
    ]);
  }
  return matrix.map(([name, spec]) => [name, { ...spec, method }]);
}

describe('the token never leaves the process', () => {
  let emu: Emulator;
  let transport: HttpTransport;
  let client: BotApiClient;
  let annId: number;

  before(async () => {
    emu = await startEmulator();
    emu.addBot({ token: TOKEN, username: 'leak_test_bot' });
    const ann = emu.addUser({ firstName: 'Ann' });
    annId = ann.id;
    emu.setStarted(TOKEN, ann);
    transport = createUndiciTransport({ useEnvironment: false });
    client = new BotApiClient({ token: TOKEN, baseUrl: emu.url, transport, timeoutMs: 400 });
  });
  after(async () => {
    await transport.close();
    await emu.close();
  });

  /** Runs `call` under each fault and returns every text that came out. */
  async function underEveryFault(
    method: string,
    call: (log: Logger) => Promise<unknown>,
  ): Promise<Seen[]> {
    const seen: Seen[] = [];
    for (const [name, spec] of faultMatrix(method)) {
      emu.clearFaults();
      emu.failNext(spec);
      const log = rawLogger(seen, name);
      try {
        await call(log);
      } catch (err) {
        seen.push(...errorTexts(err, `${method} ${name}`));
      }
    }
    emu.clearFaults();
    return seen;
  }

  test('every Bot API method under every fault yields errors without the token', async () => {
    const calls: Record<string, () => Promise<unknown>> = {
      getMe: () => client.getMe(),
      getUpdates: () => client.getUpdates({ timeout: 0 }),
      sendMessage: () => client.sendMessage({ chat_id: annId, text: 'hi' }),
      getChat: () => client.getChat(annId),
      getWebhookInfo: () => client.getWebhookInfo(),
      deleteWebhook: () => client.deleteWebhook(),
    };
    const seen: Seen[] = [];
    for (const [method, call] of Object.entries(calls)) {
      seen.push(...(await underEveryFault(method, call)));
    }

    const errors = seen.filter((s) => s.where.endsWith(' message'));
    assert.ok(errors.length >= 6 * 20, `only ${errors.length} failures were produced`);
    assert.equal(leakIn(seen), undefined, JSON.stringify(leakIn(seen)));
  });

  test('a refused connection and an unknown host give errors without the token', async () => {
    const seen: Seen[] = [];
    // A fresh connection pool, so the call connects anew instead of reusing a kept-alive socket.
    const fresh = createUndiciTransport({ useEnvironment: false });
    const refused = new BotApiClient({ token: TOKEN, baseUrl: emu.url, transport: fresh });
    await emu.refuseConnections(true);
    try {
      await refused.getMe().catch((err: unknown) => seen.push(...errorTexts(err, 'refused')));
    } finally {
      await emu.refuseConnections(false);
      await fresh.close();
    }
    const nowhere = new BotApiClient({
      token: TOKEN,
      baseUrl: 'http://no-such-host.invalid',
      transport,
      timeoutMs: 2_000,
    });
    await nowhere.getMe().catch((err: unknown) => seen.push(...errorTexts(err, 'unknown host')));
    const invalid = new BotApiClient({ token: TOKEN, baseUrl: 'api telegram org', transport });
    await invalid.getMe().catch((err: unknown) => seen.push(...errorTexts(err, 'invalid url')));

    assert.equal(seen.length, 3 * 6);
    assert.match(seen[0].text, /ECONNREFUSED/);
    assert.equal(leakIn(seen), undefined, JSON.stringify(leakIn(seen)));
  });

  test('the delivery queue logs and reports every fault without the token', async () => {
    const seen: Seen[] = [];
    for (const [name, spec] of faultMatrix('sendMessage')) {
      emu.clearFaults();
      emu.failNext(spec);
      const problems: DeliveryProblem[] = [];
      const queue = new DeliveryQueue({
        api: async () => client,
        store: new MemoryOutbox(),
        log: rawLogger(seen, `queue ${name}`),
        // Retries are not run: one attempt per fault shows what a failure leaves behind.
        timers: { now: () => Date.now(), schedule: () => () => undefined },
        onProblem: (problem) => problems.push(problem),
        onNotice: (problem) => problems.push(problem),
      });
      queue.enqueue(
        { id: annId, title: 'Ann' },
        { text: '<b>build</b> failed', parseMode: 'HTML' },
      );
      await queue.settled();
      await queue.stop();
      for (const problem of problems) {
        seen.push(...errorTexts(problem.error, `queue ${name} ${problem.condition}`));
      }
    }
    emu.clearFaults();

    assert.ok(
      seen.some((s) => s.where.includes('log warn')),
      'the queue logged no failure',
    );
    assert.equal(leakIn(seen), undefined, JSON.stringify(leakIn(seen)));
  });

  test('sendToChat, the test message path, leaks nothing under any fault', async () => {
    const seen = await underEveryFault('sendMessage', (log) =>
      sendToChat(client, { id: annId }, { text: '<b>x</b>', parseMode: 'HTML' }, log),
    );
    assert.ok(seen.length > 0);
    assert.equal(leakIn(seen), undefined, JSON.stringify(leakIn(seen)));
  });

  test('chat discovery stops on a fault without leaking the token', async () => {
    const seen = await underEveryFault('getUpdates', (log) => {
      const handshake = new Handshake({
        botUsername: 'leak_test_bot',
        ttlMs: 1_500,
        now: Date.now,
      });
      return discoverChat({ source: client, handshake, pollSeconds: 1, log });
    });
    assert.ok(
      seen.some((s) => s.where.includes('explained')),
      'no discovery failure was seen',
    );
    assert.equal(leakIn(seen), undefined, JSON.stringify(leakIn(seen)));
  });

  test('token validation: malformed pastes and a rejected token leak nothing', async () => {
    const seen: Seen[] = [];
    const pastes = [
      `${BOT_ID} ${SECRET}`,
      `${BOT_ID}${SECRET}`,
      `${BOT_ID}:${SECRET}!`,
      `${BOT_ID}:${SECRET}${SECRET}`,
      `${BOT_ID}:${SECRET.slice(0, 30)}`,
      `bot:${SECRET}`,
      `xoxb-${BOT_ID}-${SECRET}`,
      `${BOT_ID}:${SECRET.slice(0, 20)}é${SECRET.slice(20)}`,
    ];
    for (const paste of pastes) {
      try {
        parseToken(paste);
        assert.fail(`accepted ${paste.length} characters that are not a token`);
      } catch (err) {
        seen.push(...errorTexts(err, 'parseToken'));
      }
    }
    // setToken's path: getMe refused, logged with the token as a known secret, explained.
    emu.revokeToken(TOKEN);
    const log = rawLogger(seen, 'setToken');
    try {
      await client.getMe();
      assert.fail('a revoked token was accepted');
    } catch (err) {
      log.error(`getMe for bot ${BOT_ID} failed: ${describeError(err, [TOKEN])}`);
      seen.push(...errorTexts(err, 'revoked'));
    }

    assert.match(seen.find((s) => s.where === 'revoked explained')?.text ?? '', /401/);
    assert.equal(leakIn(seen), undefined, JSON.stringify(leakIn(seen)));
  });

  test('Apprise URLs that cannot be imported are refused without repeating the token', () => {
    const urls = [
      `tgram://${TOKEN}/not a chat/`,
      `tgram://${TOKEN}/-100123/?format=rtf`,
      `tgram://${TOKEN}/-100123/?silent=maybe`,
      `tgram://${TOKEN}/-100123:abc/`,
      `tgram://${TOKEN}/%E0%A4%A/`,
      `tgram://${TOKEN}/0/`,
      `tgram://${TOKEN}x/123/`,
      `tgram://${BOT_ID}:${SECRET.slice(0, 34)}/123/`,
      `tgram://${SECRET}/123/`,
      `telegram://${TOKEN}@telegram?chats=123`,
      `tgrams://${TOKEN}/123`,
      `https://api.telegram.org/bot${TOKEN}/sendMessage?chat_id=123`,
    ];
    const seen: Seen[] = [];
    for (const url of urls) {
      try {
        parseAppriseUrl(url);
        assert.fail(`accepted ${url.replace(SECRET, '…')}`);
      } catch (err) {
        seen.push(...errorTexts(err, `apprise ${urls.indexOf(url)}`));
      }
    }
    assert.equal(leakIn(seen), undefined, JSON.stringify(leakIn(seen)));
  });
});

describe('the shipped files hold no token', () => {
  test('the packaged .vsix and the built bundle contain no token-shaped text', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vsix-'));
    try {
      const vsix = join(dir, 'leak-check.vsix');
      execFileSync(process.execPath, ['scripts/package.mjs', '--out', vsix], { stdio: 'pipe' });
      const zip = await JSZip.loadAsync(readFileSync(vsix));
      const entries = Object.values(zip.files).filter((f) => !f.dir);
      const files: Seen[] = [];
      for (const entry of entries)
        files.push({ where: entry.name, text: await entry.async('string') });
      for (const name of readdirSync('dist').filter((f) => f.endsWith('.js'))) {
        files.push({ where: `dist/${name}`, text: readFileSync(join('dist', name), 'utf8') });
      }

      assert.ok(
        files.some((f) => f.where === 'extension/dist/extension.js'),
        'no bundle packed',
      );
      assert.ok(
        files.some((f) => f.where === 'extension/package.json'),
        'no manifest packed',
      );
      assert.equal(leakIn(files), undefined);
      const shaped = files.find((f) => TOKEN_SHAPE.test(f.text));
      assert.equal(shaped, undefined, `token-shaped text in ${shaped?.where}`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
