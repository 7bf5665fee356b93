// A cloned repository is not trusted to route notifications: the fixture's
// .vscode/settings.json points telegramNotifier.apiBaseUrl at a second Bot API server (B),
// pins its own chat there and sets http.proxy. The user's own settings name emulator A and
// the user's chat; a failing task must reach A's chat only, B and the proxy see nothing, and
// the log says which workspace values were ignored.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { type Emulator, type TgUser, startEmulator } from '../../emulator';
import {
  activateExtension,
  eventually,
  fakeToken,
  readExtensionLog,
  runTask,
  setUserSetting,
} from '../helpers';

/** The ports and chat the fixture's .vscode/settings.json names. */
const WORKSPACE_API_PORT = 47931;
const WORKSPACE_PROXY_PORT = 47932;
const WORKSPACE_CHAT_ID = 990001111;

const BOT_ID = '7104445555';
const TOKEN = fakeToken(Number(BOT_ID), 'u');
const SECRET = TOKEN.split(':')[1];

/** A TCP listener that only counts who connects: a proxy nobody should use. */
async function connectionCounter(port: number): Promise<{ server: Server; count(): number }> {
  let connections = 0;
  const server = createServer((socket) => {
    connections += 1;
    socket.destroy();
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return { server, count: () => connections };
}

suite('untrusted settings: a workspace cannot route notifications', () => {
  let userApi: Emulator;
  let workspaceApi: Emulator;
  let proxy: { server: Server; count(): number };
  let user: TgUser;

  suiteSetup(async () => {
    userApi = await startEmulator();
    workspaceApi = await startEmulator({ port: WORKSPACE_API_PORT });
    proxy = await connectionCounter(WORKSPACE_PROXY_PORT);
    for (const emu of [userApi, workspaceApi]) {
      emu.addBot({ token: TOKEN, username: 'routing_test_bot' });
      const intruder = emu.addUser({ firstName: 'Intruder', id: WORKSPACE_CHAT_ID });
      emu.setStarted(TOKEN, intruder);
    }
    user = userApi.addUser({ firstName: 'Ann' });
    userApi.setStarted(TOKEN, user);

    await activateExtension();
    await setUserSetting('apiBaseUrl', userApi.url);
    await setUserSetting('chats', [{ id: user.id, title: 'Ann', type: 'private' }]);
  });

  suiteTeardown(async () => {
    await vscode.commands.executeCommand('telegramNotifier.removeToken', BOT_ID);
    await setUserSetting('chats', undefined);
    await setUserSetting('apiBaseUrl', undefined);
    await userApi.close();
    await workspaceApi.close();
    await new Promise((resolve) => proxy.server.close(resolve));
  });

  test('the fixture really sets the protected values in the workspace', () => {
    const config = vscode.workspace.getConfiguration('telegramNotifier');
    assert.equal(config.get('minDurationSeconds'), 0, 'the workspace settings were not loaded');
  });

  test('the token check goes to the user’s server, not the workspace’s', async () => {
    const bot = await vscode.commands.executeCommand('telegramNotifier.setToken', TOKEN);

    assert.deepEqual(bot, { botId: BOT_ID, username: 'routing_test_bot' });
    assert.equal(userApi.requests.filter((r) => r.method === 'getMe').length, 1);
    assert.equal(workspaceApi.requests.length, 0);
  });

  test('a failing task reaches the user’s chat on the user’s server only', async () => {
    userApi.clearLog();

    assert.equal(await runTask('build-fails'), 3);
    const message = await userApi.waitForMessage({ chatId: user.id, timeoutMs: 15_000 });
    // Give a message to the workspace's chat or server the time it would need to show up.
    await new Promise((resolve) => setTimeout(resolve, 2_000));

    assert.match(message.text, /build-fails/);
    assert.deepEqual(
      userApi.sentMessages().map((m) => m.chatId),
      [user.id],
    );
    assert.equal(workspaceApi.requests.length, 0, 'the workspace’s API server was called');
    assert.equal(workspaceApi.sentMessages().length, 0);
    assert.equal(proxy.count(), 0, 'the workspace’s proxy was used');
  });

  test('the log says the workspace values were ignored, and holds no token', async () => {
    const log = await eventually('the ignored-settings lines', () => {
      const text = readExtensionLog();
      const both =
        /Ignored telegramNotifier\.apiBaseUrl/.test(text) &&
        /Ignored telegramNotifier\.chats/.test(text);
      return both ? text : undefined;
    });

    assert.match(log, /Ignored telegramNotifier\.apiBaseUrl from the workspace settings/);
    assert.match(log, /Ignored telegramNotifier\.chats from the workspace settings/);
    assert.match(log, /Ignored http\.proxy from the workspace settings/);
    assert.ok(!log.includes(SECRET), 'the token secret appears in the log');
  });

  test('no settings file holds the token: it lives in secret storage only', () => {
    const files = [
      join(process.env.HOST_TEST_USER_DATA_DIR ?? '', 'User', 'settings.json'),
      join(process.env.HOST_TEST_WORKSPACE ?? '', '.vscode', 'settings.json'),
    ];
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      assert.ok(text.includes('telegramNotifier.'), `${file} is not the settings file`);
      assert.ok(!text.includes(SECRET), `the token secret is in ${file}`);
    }
  });
});
