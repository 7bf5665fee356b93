// Notifications in a real extension host (scenario "notifications"): tasks, a node debug
// session exiting 2, a terminal command through shell integration, and the filters, mute
// and formats, each checked at the Bot API emulator.
//
// "No message" is proven with a sentinel: after the run that must stay quiet, a run that
// must be reported is started; runs are reported in order, so when the sentinel's message
// arrives, a message for the quiet run would already be there.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { type Emulator, type SentMessage, type TgUser, startEmulator } from '../../emulator';
import {
  activateExtension,
  eventually,
  fakeToken,
  findTask,
  runTask,
  setUserSetting,
} from '../helpers';

const TOKEN = fakeToken(7004444444, 'n');
const FAILING = 'fails <&> *build*_v1.0!';
const SETTINGS = [
  'minDurationSeconds',
  'onlyFailures',
  'onlyWhenUnfocused',
  'silentSuccess',
  'format',
  'template',
  'includeNames',
  'excludeNames',
];

suite('notifications: tasks, debug sessions, terminal commands, filters', function () {
  let emu: Emulator;
  let user: TgUser;

  suiteSetup(async function () {
    if (process.env.HOST_TEST_SCENARIO !== 'notifications') this.skip();
    emu = await startEmulator();
    emu.addBot({ token: TOKEN, username: 'notif_bot' });
    user = emu.addUser({ firstName: 'Nia' });
    emu.setStarted(TOKEN, user);
    await activateExtension();
    await setUserSetting('apiBaseUrl', emu.url);
    await setUserSetting('chats', [{ id: user.id, title: 'Nia', type: 'private' }]);
    const bot = await vscode.commands.executeCommand('telegramNotifier.setToken', TOKEN);
    assert.ok(bot, 'the token was stored');
  });

  setup(async () => {
    for (const key of SETTINGS) await setUserSetting(key, undefined);
    await setUserSetting('minDurationSeconds', 0);
    await vscode.commands.executeCommand('telegramNotifier.unmute');
    emu.clearLog();
  });

  suiteTeardown(async () => {
    if (!emu) return;
    for (const key of [...SETTINGS, 'chats', 'apiBaseUrl']) await setUserSetting(key, undefined);
    await emu.close();
  });

  /** Waits for the next message and then long enough for a duplicate to show up. */
  async function onlyMessage(): Promise<SentMessage> {
    const message = await emu.waitForMessage({ chatId: user.id, timeoutMs: 20_000, since: 0 });
    await sleep(1500);
    const all = emu.sentMessages({ chatId: user.id });
    assert.equal(all.length, 1, `messages: ${JSON.stringify(all.map((m) => m.text))}`);
    return message;
  }

  /** Runs the failing task as the sentinel and checks it is the only message. */
  async function sentinelOnly(): Promise<void> {
    assert.equal(await runTask(FAILING), 3);
    const message = await onlyMessage();
    assert.match(message.text, /fails <&>/);
  }

  test('a failing task: one HTML message with the name as written, verdict and exit code', async () => {
    assert.equal(await runTask(FAILING), 3);
    const message = await onlyMessage();

    assert.equal(message.parseMode, 'HTML');
    assert.match(message.text, /^❌ Task fails <&> \*build\*_v1\.0! failed\nExit code: 3\n/);
    assert.match(message.text, /Duration: \d/);
    assert.match(message.text, /Workspace: workspace/);
    assert.equal(message.disableNotification, false);
    const bold = message.entities.find((e) => e.type === 'bold');
    assert.equal(
      message.text.slice(bold?.offset, (bold?.offset ?? 0) + (bold?.length ?? 0)),
      FAILING,
    );
  });

  test('a passing task under the minimum duration sends nothing', async () => {
    await setUserSetting('minDurationSeconds', 5);
    await setUserSetting('onlyFailures', false);
    assert.equal(await runTask('quick-pass'), 0);
    await setUserSetting('minDurationSeconds', 0);
    await sentinelOnly();
  });

  test('with silentSuccess a success arrives without sound, a failure with sound', async () => {
    await setUserSetting('silentSuccess', true);
    assert.equal(await runTask('slow-pass'), 0);
    const success = await emu.waitForMessage({ chatId: user.id, timeoutMs: 20_000, since: 0 });
    assert.match(success.text, /^✅ Task slow-pass succeeded/);
    assert.equal(success.disableNotification, true);

    emu.clearLog();
    assert.equal(await runTask(FAILING), 3);
    const failure = await onlyMessage();
    assert.equal(failure.disableNotification, false);
  });

  test('failures only: a success sends nothing', async () => {
    await setUserSetting('onlyFailures', true);
    assert.equal(await runTask('slow-pass'), 0);
    await sentinelOnly();
  });

  test('an exclude pattern silences matching names', async () => {
    await setUserSetting('excludeNames', ['slow-*']);
    assert.equal(await runTask('slow-pass'), 0);
    await sentinelOnly();
  });

  test('a compound task: each part reported once, the compound itself as unknown', async () => {
    await vscode.tasks.executeTask(await findTask('compound'));
    const texts = await eventually('three messages', () => {
      const all = emu.sentMessages({ chatId: user.id }).map((m) => m.text);
      return all.length >= 3 ? all : undefined;
    });
    await sleep(1500);
    const all = emu.sentMessages({ chatId: user.id }).map((m) => m.text.split('\n')[0]);
    console.log(`notifications: compound task gave ${JSON.stringify(all)}`);
    assert.deepEqual([...all].sort(), [
      '⚪ Task compound finished',
      '✅ Task quick-pass succeeded',
      `❌ Task ${FAILING} failed`,
    ]);
    assert.ok(texts.some((t) => t.startsWith('⚪ Task compound finished\nExit code: unknown')));
  });

  test('a node debug session exiting 2: one message, exit code 2 and the output tail', async () => {
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(await vscode.debug.startDebugging(folder, 'debug exit 2'));
    const message = await onlyMessage();

    assert.match(message.text, /^❌ Debug session debug exit 2 failed\nExit code: 2\n/);
    assert.match(message.text, /Source: (pwa-)?node/);
    assert.match(message.text, /exit2: starting <work> & more/);
    assert.match(message.text, /exit2: something went wrong/);
    assert.ok(
      message.entities.some((e) => e.type === 'pre'),
      'the output is a pre block',
    );
  });

  test('a terminal command through shell integration: command line, exit code, output', async () => {
    const terminal = vscode.window.createTerminal({ name: 'notif-shell', shellPath: '/bin/bash' });
    try {
      const integration = await shellIntegrationOf(terminal);
      integration.executeCommand("echo 'term <out> & more'; sleep 1; (exit 4)");
      const message = await onlyMessage();

      assert.match(
        message.text,
        /^❌ Command echo 'term <out> & more'; sleep 1; \(exit 4\) failed/,
      );
      assert.match(message.text, /Exit code: 4\n/);
      // The terminal's name is the running program's, not a source; terminals show none.
      assert.doesNotMatch(message.text, /Source:/);
      assert.match(message.text, /term <out> & more/);
    } finally {
      terminal.dispose();
    }
  });

  test('mute silences everything until unmute, and the commands say so', async () => {
    const until = await vscode.commands.executeCommand<number>('telegramNotifier.mute', 5);
    assert.ok(until > Date.now() + 4 * 60_000 && until <= Date.now() + 5 * 60_000 + 1000);
    assert.equal(await runTask(FAILING), 3);

    assert.equal(await vscode.commands.executeCommand('telegramNotifier.unmute'), true);
    await sentinelOnly();
  });

  test('unfocused only: reported exactly when the window has no focus', async () => {
    await setUserSetting('onlyWhenUnfocused', true);
    // The test cannot move focus; it checks the outcome for whichever state the host is in.
    const focused = vscode.window.state.focused;
    assert.equal(await runTask(FAILING), 3);
    await setUserSetting('onlyWhenUnfocused', false);
    assert.equal(await runTask('slow-pass'), 0);

    const texts = await eventually('the slow-pass message', () => {
      const all = emu.sentMessages({ chatId: user.id }).map((m) => m.text);
      return all.some((t) => t.includes('slow-pass')) ? all : undefined;
    });
    assert.equal(
      texts.some((t) => t.includes('fails <&>')),
      !focused,
      `focused=${focused}`,
    );
    console.log(`notifications: onlyWhenUnfocused checked with window focused=${focused}`);
  });

  test('markdown format: MarkdownV2 with the name escaped and shown as written', async () => {
    await setUserSetting('format', 'markdown');
    assert.equal(await runTask(FAILING), 3);
    const message = await onlyMessage();
    assert.equal(message.parseMode, 'MarkdownV2');
    assert.match(message.text, /^❌ Task fails <&> \*build\*_v1\.0! failed\nExit code: 3\n/);
  });

  test('a template with named variables is used, read live without a reload', async () => {
    await setUserSetting('template', '{{icon}} <i>{{name}}</i> → {{exitCode}} ({{kind}})');
    assert.equal(await runTask(FAILING), 3);
    const message = await onlyMessage();
    assert.equal(message.text, `❌ ${FAILING} → 3 (Task)`);
  });
});

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Resolves once the terminal's shell integration is active, or fails after 20 s. */
function shellIntegrationOf(terminal: vscode.Terminal): Promise<vscode.TerminalShellIntegration> {
  if (terminal.shellIntegration) return Promise.resolve(terminal.shellIntegration);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      listener.dispose();
      reject(new Error('shell integration did not activate in 20 s'));
    }, 20_000);
    const listener = vscode.window.onDidChangeTerminalShellIntegration((e) => {
      if (e.terminal !== terminal) return;
      clearTimeout(timer);
      listener.dispose();
      resolve(e.shellIntegration);
    });
  });
}
