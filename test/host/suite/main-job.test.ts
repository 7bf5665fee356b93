// The main job, end to end in a real extension host: the token stored through the command,
// a pinned chat, a failing task, and exactly one message at the emulator.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { type Emulator, startEmulator } from '../../emulator';
import type { TgUser } from '../../emulator';
import {
  activateExtension,
  eventually,
  fakeToken,
  readExtensionLog,
  runTask,
  setUserSetting,
} from '../helpers';

const TOKEN = fakeToken(7001234567, 'k');
const SECRET = TOKEN.split(':')[1];

suite('main job: a finished task reaches the pinned chat', () => {
  let emu: Emulator;
  let user: TgUser;

  suiteSetup(async () => {
    emu = await startEmulator();
    emu.addBot({ token: TOKEN, username: 'ci_notifier_bot' });
    user = emu.addUser({ firstName: 'Ann', username: 'ann' });
    emu.setStarted(TOKEN, user);
    await activateExtension();
    await setUserSetting('apiBaseUrl', emu.url);
    await setUserSetting('chats', [{ id: user.id, title: 'Ann', type: 'private' }]);
    await setUserSetting('minDurationSeconds', 0);
  });

  suiteTeardown(async () => {
    await vscode.commands.executeCommand('telegramNotifier.removeToken', '7001234567');
    await setUserSetting('chats', undefined);
    await setUserSetting('apiBaseUrl', undefined);
    await setUserSetting('minDurationSeconds', undefined);
    await emu.close();
  });

  test('a token Telegram rejects (401) is not stored, and the user is told what to do', async () => {
    const api = await activateExtension();
    const revoked = fakeToken(7009999999, 'r');

    const result = await vscode.commands.executeCommand('telegramNotifier.setToken', revoked);

    assert.equal(result, undefined);
    assert.deepEqual(await api.listBots(), []);
    const log = await eventually('the notice in the log', () => {
      const text = readExtensionLog();
      return text.includes('The token was not saved') ? text : undefined;
    });
    assert.match(log, /401 Unauthorized.*@BotFather/);
  });

  test('the token is stored through the command and the bot is named', async () => {
    const api = await activateExtension();

    const bot = await vscode.commands.executeCommand('telegramNotifier.setToken', ` bot${TOKEN}\n`);

    assert.deepEqual(bot, { botId: '7001234567', username: 'ci_notifier_bot' });
    assert.deepEqual(await api.listBots(), [{ botId: '7001234567', username: 'ci_notifier_bot' }]);
  });

  test('a task that exits 3 sends exactly one message naming the task and the code', async () => {
    emu.clearLog();

    assert.equal(await runTask('build-fails'), 3);
    const message = await emu.waitForMessage({ chatId: user.id, timeoutMs: 15_000 });
    // Give a duplicate the time it would need to show up.
    await new Promise((resolve) => setTimeout(resolve, 1500));

    const sends = emu.requests.filter((r) => r.method === 'sendMessage');
    assert.equal(sends.length, 1, `sendMessage calls: ${sends.length}`);
    assert.equal(emu.sentMessages({ chatId: user.id }).length, 1);
    assert.match(message.text, /build-fails/);
    assert.match(message.text, /exit(?: code)?:? 3\b/i);
    assert.equal(emu.requests.filter((r) => r.method === 'getUpdates').length, 0);
  });

  test('the extension log names the bot but holds no copy of the token', async () => {
    const log = await eventually('log lines about the delivery', () => {
      const text = readExtensionLog();
      return /Delivered message/.test(text) ? text : undefined;
    });
    assert.ok(!log.includes(SECRET), 'the token secret appears in the log');
    assert.match(log, /7001234567/);
  });
});
