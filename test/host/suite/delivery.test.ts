// Delivery that loses nothing, in a real extension host (scenario "delivery").
//
// The runner cannot reload the window or open a second one on the same profile, so the
// "other window" here is the closest real thing: a second outbox and delivery queue, built
// from the extension's own modules, in this extension host, on the same global storage
// folder as the extension. It behaves as a separate window does (its own window id, its own
// file, the same adoption rules); what differs is that it shares the process, so a crash of
// a whole window is not exercised, only its clean exit.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { BotApiClient } from '../../../src/core/bot-api';
import { memoryLogger } from '../../../src/core/log';
import { DeliveryQueue } from '../../../src/core/queue';
import { createUndiciTransport } from '../../../src/core/undici-transport';
import { FileOutbox } from '../../../src/vscode/outbox';
import { type Emulator, type TgUser, startEmulator } from '../../emulator';
import { activateExtension, eventually, fakeToken, runTask, setUserSetting } from '../helpers';
import { outboxMessages, storageDir } from '../outbox-files';

const TOKEN = fakeToken(7005555555, 'd');

suite('delivery: outbox, outages and windows sharing a profile', function () {
  let emu: Emulator;
  let user: TgUser;

  suiteSetup(async function () {
    if (process.env.HOST_TEST_SCENARIO !== 'delivery') this.skip();
    emu = await startEmulator();
    emu.addBot({ token: TOKEN, username: 'delivery_bot' });
    user = emu.addUser({ firstName: 'Dee' });
    emu.setStarted(TOKEN, user);
    await activateExtension();
    await setUserSetting('apiBaseUrl', emu.url);
    await setUserSetting('chats', [{ id: user.id, title: 'Dee', type: 'private' }]);
    await setUserSetting('minDurationSeconds', 0);
    // A task's terminal would be reported as a terminal command too; only tasks count here.
    await setUserSetting('notify.terminalCommands', false);
    const bot = await vscode.commands.executeCommand('telegramNotifier.setToken', TOKEN);
    assert.ok(bot, 'the token was stored');
  });

  suiteTeardown(async () => {
    if (!emu) return;
    for (const key of ['chats', 'apiBaseUrl', 'minDurationSeconds', 'notify.terminalCommands']) {
      await setUserSetting(key, undefined);
    }
    await emu.close();
  });

  const texts = () => emu.sentMessages({ chatId: user.id }).map((m) => m.text);
  /**
   * How often `pattern` stands in what the chat received. Runs that waited together may come
   * as one digest, so a run is counted by its verdict line, not by message.
   */
  const count = (pattern: RegExp) => {
    const global = new RegExp(pattern.source, 'g');
    return texts().reduce((n, t) => n + (t.match(global)?.length ?? 0), 0);
  };
  const verdicts = () => count(/Task build-fails failed|Task build-passes succeeded/);

  test('runs that end while the API refuses connections are delivered once it is back, each once', async () => {
    emu.clearLog();
    await emu.refuseConnections(true);
    assert.equal(await runTask('build-fails'), 3);
    assert.equal(await runTask('build-passes'), 0);
    assert.equal(await runTask('build-fails'), 3);

    const waiting = await eventually('three messages in the outbox', () => {
      const stored = outboxMessages();
      return stored.length === 3 ? stored : undefined;
    });
    assert.equal(waiting.length, 3);

    // A second window on the same profile takes nothing from a window that is alive.
    const other = otherWindow();
    assert.deepEqual(await other.outbox.adoptOrphans(), []);

    await emu.refuseConnections(false);
    await eventually(
      'three verdicts delivered',
      () => (verdicts() >= 3 ? true : undefined),
      45_000,
    );
    await sleep(3_000);
    assert.equal(count(/Task build-fails failed/), 2, texts().join('\n---\n'));
    assert.equal(count(/Task build-passes succeeded/), 1, texts().join('\n---\n'));
    assert.equal(verdicts(), 3, 'no run delivered twice');
    await eventually('an empty outbox', () => (outboxMessages().length === 0 ? true : undefined));
    other.outbox.release([]);
  });

  test('messages left by a window that closed are taken over by the open window and sent once', async () => {
    emu.clearLog();
    await emu.refuseConnections(true);
    const other = otherWindow();
    const chat = { id: user.id, type: 'private' as const };
    other.queue.enqueue(chat, { text: '📦 left-behind one', summary: 'left-behind one' });
    other.queue.enqueue(chat, { text: '📦 left-behind two', summary: 'left-behind two' });
    await other.outbox.flush();
    await other.queue.stop(0);
    // What deactivate does on a window reload or close: save and hand over at once.
    other.outbox.release(other.queue.messages());
    assert.equal(outboxMessages().length, 2);

    await emu.refuseConnections(false);
    await eventually(
      'both left-behind messages',
      () => (count(/left-behind (one|two)/) >= 2 ? true : undefined),
      45_000,
    );
    await sleep(3_000);
    assert.equal(count(/left-behind one/), 1, texts().join('\n---\n'));
    assert.equal(count(/left-behind two/), 1, texts().join('\n---\n'));
    await eventually('an empty outbox', () => (outboxMessages().length === 0 ? true : undefined));
  });

  /** A second "window": its own outbox file and queue on the extension's storage folder. */
  function otherWindow() {
    const log = memoryLogger();
    const outbox = new FileOutbox(storageDir(), log);
    const client = new BotApiClient({
      token: TOKEN,
      baseUrl: emu.url,
      transport: createUndiciTransport({ useEnvironment: false }),
    });
    const queue = new DeliveryQueue({
      api: async () => client,
      store: outbox,
      log,
      stillOwner: () => outbox.stillOwner(),
    });
    return { outbox, queue, log };
  }
});

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
