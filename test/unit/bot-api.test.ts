import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { BotApiClient } from '../../src/core/bot-api';
import { TelegramApiError, TelegramTransportError } from '../../src/core/errors';
import { createUndiciTransport } from '../../src/core/undici-transport';
import { apiErrorBody, type Emulator, startEmulator } from '../emulator';

const TOKEN = '5550001111:AAE' + 'q'.repeat(32);
const SECRET = TOKEN.split(':')[1];

describe('BotApiClient against the emulator', () => {
  let emu: Emulator;
  let client: BotApiClient;
  const transport = createUndiciTransport();

  before(async () => {
    emu = await startEmulator();
    emu.addBot({ token: TOKEN, username: 'unit_bot' });
    client = new BotApiClient({ token: TOKEN, baseUrl: emu.url, transport, timeoutMs: 2000 });
  });
  after(async () => {
    await transport.close();
    await emu.close();
  });

  /** Every failure path must keep the token's secret out of the error. */
  async function failureOf(call: () => Promise<unknown>): Promise<Error> {
    const err = await call().then(
      () => assert.fail('expected a failure'),
      (e: unknown) => e as Error,
    );
    const visible = `${err.message}\n${err.stack}\n${JSON.stringify(err)}`;
    assert.ok(!visible.includes(SECRET), `the token leaked: ${visible}`);
    return err;
  }

  test('getMe returns the bot', async () => {
    const me = await client.getMe();
    assert.equal(me.username, 'unit_bot');
    assert.equal(me.is_bot, true);
  });

  test('an unknown token is a 401 TelegramApiError', async () => {
    const other = new BotApiClient({
      token: '5550002222:AAE' + 'z'.repeat(32),
      baseUrl: emu.url,
      transport,
    });
    const err = await failureOf(() => other.getMe());
    assert.ok(err instanceof TelegramApiError);
    assert.equal(err.errorCode, 401);
    assert.equal(err.description, 'Unauthorized');
  });

  test('a 200 reply whose body says ok:false is a failure with its code and parameters', async () => {
    emu.failNext({
      method: 'getMe',
      status: 200,
      body: apiErrorBody(429, 'Too Many Requests: retry after 7', { retry_after: 7 }),
    });
    const err = await failureOf(() => client.getMe());
    assert.ok(err instanceof TelegramApiError);
    assert.equal(err.errorCode, 429);
    assert.deepEqual(err.parameters, { retry_after: 7 });
  });

  test('a 502 with an HTML page is a bad reply, not a Bot API answer', async () => {
    emu.failNext({
      method: 'getMe',
      status: 502,
      body: '<html>Bad Gateway</html>',
      contentType: 'text/html',
    });
    const err = await failureOf(() => client.getMe());
    assert.ok(err instanceof TelegramTransportError);
    assert.equal(err.failure, 'bad-reply');
    assert.equal(err.status, 502);
  });

  test('a dropped connection is a network failure', async () => {
    emu.failNext({ method: 'getMe', drop: true });
    const err = await failureOf(() => client.getMe());
    assert.ok(err instanceof TelegramTransportError);
    assert.equal(err.failure, 'network');
  });

  test('a reply slower than the time limit is a timeout', async () => {
    emu.failNext({ method: 'getMe', delayMs: 3000 });
    const err = await failureOf(() => client.getMe());
    assert.ok(err instanceof TelegramTransportError);
    assert.equal(err.failure, 'timeout');
  });

  test('a truncated JSON body is a bad reply', async () => {
    emu.failNext({ method: 'getMe', truncate: true });
    const err = await failureOf(() => client.getMe());
    assert.ok(err instanceof TelegramTransportError);
  });

  test('refused connections are a network failure that names no token', async () => {
    await emu.refuseConnections(true);
    try {
      const err = await failureOf(() => client.getMe());
      assert.ok(err instanceof TelegramTransportError);
      assert.equal(err.failure, 'network');
    } finally {
      await emu.refuseConnections(false);
    }
  });
});
