// The handshake against the emulator: only the code pins, only once, only before it expires,
// and only from the chat that was confirmed when one was.
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { BotApiClient } from '../../src/core/bot-api';
import { Handshake, newHandshakeCode } from '../../src/core/discovery/handshake';
import { discoverChat } from '../../src/core/discovery/poll';
import { memoryLogger } from '../../src/core/log';
import type { HttpTransport } from '../../src/core/transport';
import { createUndiciTransport } from '../../src/core/undici-transport';
import { type Emulator, type TgChat, type TgUser, startEmulator } from '../emulator';

const TOKEN = `5551234567:${'H'.repeat(35)}`;
const CODE = 'Q7WX3MKP9R';

describe('the handshake on the emulator', () => {
  let emu: Emulator;
  let transport: HttpTransport;
  let client: BotApiClient;
  let ann: TgUser;
  let mallory: TgUser;
  let team: TgChat;

  before(() => {
    transport = createUndiciTransport({ useEnvironment: false });
  });
  after(() => transport.close());

  beforeEach(async () => {
    await emu?.close();
    emu = await startEmulator();
    emu.addBot({ token: TOKEN, username: 'hs_bot', privacyMode: false });
    ann = emu.addUser({ firstName: 'Ann' });
    mallory = emu.addUser({ firstName: 'Mallory' });
    team = emu.addGroup({ title: 'Team' });
    emu.addBotToChat(TOKEN, team, ann);
    client = new BotApiClient({ token: TOKEN, baseUrl: emu.url, transport, timeoutMs: 2_000 });
    // Confirm the "bot added to Team" update, so each test starts with no update waiting.
    const pending = await client.getUpdates({ timeout: 0 });
    await client.getUpdates({ offset: pending[pending.length - 1].update_id + 1, timeout: 0 });
  });
  after(() => emu.close());

  function handshake(now = Date.now, ttlMs = 3_000): Handshake {
    return new Handshake({ botUsername: 'hs_bot', ttlMs, now, code: CODE });
  }

  test('messages without the code pin nothing, however many chats write', async () => {
    emu.privateMessage(TOKEN, mallory, '/start');
    emu.privateMessage(TOKEN, ann, 'hello bot');
    emu.groupMessage(team, ann, 'Q7WX3MKP9 almost the code');

    const outcome = await discoverChat({
      source: client,
      handshake: handshake(Date.now, 1_500),
      pollSeconds: 1,
      log: memoryLogger(),
    });

    assert.equal(outcome.kind, 'expired');
    assert.equal(outcome.kind === 'expired' && outcome.seen.length, 3);
  });

  test('the code pins the chat that sent it, and a second use pins nothing', async () => {
    const h = handshake();
    emu.privateMessage(TOKEN, mallory, 'hi');
    emu.groupMessage(team, ann, `/start@hs_bot ${CODE}`);

    const first = await discoverChat({ source: client, handshake: h, log: memoryLogger() });
    emu.privateMessage(TOKEN, mallory, `/start ${CODE}`);
    const second = await discoverChat({
      source: client,
      handshake: h,
      pollSeconds: 1,
      log: memoryLogger(),
    }).catch((err: unknown) => err);

    assert.equal(first.kind, 'handshake');
    assert.equal(first.kind === 'handshake' && first.chat.chatId, team.id);
    assert.notEqual(second && (second as { kind: string }).kind, 'handshake');
    assert.ok(h.isClaimed());
  });

  test('a code that expired pins nothing, even when it arrives', async () => {
    let now = 0;
    const h = handshake(() => now, 1_000);
    emu.privateMessage(TOKEN, ann, `/start ${CODE}`);
    now = 1_000;

    const outcome = await discoverChat({ source: client, handshake: h, log: memoryLogger() });

    assert.equal(outcome.kind, 'expired');
    assert.equal(h.isClaimed(), false);
  });

  test('the code from another chat than the one confirmed is refused and spent', async () => {
    const log = memoryLogger();
    const h = handshake(Date.now, 5_000);
    emu.privateMessage(TOKEN, mallory, `/start ${CODE}`);
    emu.groupMessage(team, ann, 'here is the team chat');

    const outcome = await discoverChat({
      source: client,
      handshake: h,
      chosen: (c) => c.chatId === team.id,
      log,
    });

    assert.equal(outcome.kind, 'chosen');
    assert.equal(outcome.kind === 'chosen' && outcome.chat.chatId, team.id);
    assert.ok(h.isClaimed(), 'the code seen by a stranger can still be used');
    assert.ok(
      log.lines.some((l) => l.includes(`Refused the handshake code from chat ${mallory.id}`)),
    );
  });

  test('the confirmed chat may carry the code itself', async () => {
    emu.groupMessage(team, ann, `/start@hs_bot ${CODE}`);
    const outcome = await discoverChat({
      source: client,
      handshake: handshake(),
      chosen: (c) => c.chatId === team.id,
      log: memoryLogger(),
    });
    assert.equal(outcome.kind === 'handshake' && outcome.chat.chatId, team.id);
  });

  test('fresh codes come from a large space: 5000 codes, no repeat, every letter used', () => {
    const codes = Array.from({ length: 5_000 }, newHandshakeCode);
    assert.equal(new Set(codes).size, codes.length);
    const letters = new Set(codes.join(''));
    assert.equal(letters.size, 31);
  });
});
