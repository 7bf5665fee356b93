// The getting-started walkthrough, walked as a new user would: each step through the
// command its button runs, against the emulator, checking after each one the condition the
// step completes on (the context keys of package.json's completionEvents, and what the
// command did). Then the status item's quick pick offers the next action.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { type Emulator, type TgUser, startEmulator } from '../../emulator';
import type { PinResult } from '../../../src/vscode/pin-chat';
import { EXTENSION_ID, activateExtension, eventually, fakeToken, setUserSetting } from '../helpers';

const BOT_ID = '7006000001';
const TOKEN = fakeToken(Number(BOT_ID), 'w');
const WALKTHROUGH = `${EXTENSION_ID}#telegramNotifier.gettingStarted`;

interface Step {
  id: string;
  description: string;
  completionEvents: string[];
}

suite('walkthrough: from a new bot to a test message', () => {
  let emu: Emulator;
  let you: TgUser;
  let steps: Map<string, Step>;

  suiteSetup(async () => {
    emu = await startEmulator();
    emu.addBot({ token: TOKEN, username: 'walk_bot' });
    you = emu.addUser({ firstName: 'You', username: 'you' });
    await activateExtension();
    await setUserSetting('apiBaseUrl', emu.url);
    const manifest = vscode.extensions.getExtension(EXTENSION_ID)!.packageJSON;
    steps = new Map(manifest.contributes.walkthroughs[0].steps.map((s: Step) => [s.id, s]));
  });

  suiteTeardown(async () => {
    await vscode.commands.executeCommand('telegramNotifier.removeToken', BOT_ID);
    await setUserSetting('chats', undefined);
    await setUserSetting('apiBaseUrl', undefined);
    await setUserSetting('onlyFailures', undefined);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await emu.close();
  });

  /** The setup facts the extension has published as context keys. */
  async function facts() {
    return (await activateExtension()).setupFacts();
  }

  /** Waits until the step's onContext key is true (the fact behind the context key). */
  async function completes(stepId: string, key: 'hasToken' | 'hasChat' | 'testDelivered') {
    assert.ok(
      steps.get(stepId)!.completionEvents.includes(`onContext:telegramNotifier.${key}`),
      `${stepId} completes on telegramNotifier.${key}`,
    );
    await eventually(`telegramNotifier.${key}`, async () =>
      (await facts())[key] ? true : undefined,
    );
  }

  test('the walkthrough opens, and its steps link the commands in order', async () => {
    await vscode.commands.executeCommand('workbench.action.openWalkthrough', WALKTHROUGH, false);
    const tab = await eventually('the walkthrough tab', () => {
      const label = vscode.window.tabGroups.activeTabGroup.activeTab?.label;
      return label && /welcome|walkthrough|started/i.test(label) ? label : undefined;
    });
    assert.ok(tab);

    assert.deepEqual(
      [...steps.keys()],
      ['createBot', 'setToken', 'pinChat', 'sendTest', 'chooseEvents'],
    );
    const linked = (id: string) => /\(command:([\w.]+)/.exec(steps.get(id)!.description)?.[1];
    assert.match(steps.get('createBot')!.description, /https:\/\/t\.me\/BotFather/);
    assert.equal(linked('setToken'), 'telegramNotifier.setToken');
    assert.equal(linked('pinChat'), 'telegramNotifier.detectChat');
    assert.equal(linked('sendTest'), 'telegramNotifier.sendTest');
    assert.equal(linked('chooseEvents'), 'workbench.action.openSettings');
  });

  test('before anything is set up, no step is complete', async () => {
    assert.deepEqual(await facts(), {
      hasToken: false,
      hasChat: false,
      muted: false,
      testDelivered: false,
    });
  });

  test('steps 1 and 2: the token from @BotFather is stored through Set Bot Token', async () => {
    const bot = await vscode.commands.executeCommand('telegramNotifier.setToken', TOKEN);

    assert.deepEqual(bot, { botId: BOT_ID, username: 'walk_bot' });
    assert.ok(
      steps.get('createBot')!.completionEvents.includes('onContext:telegramNotifier.hasToken'),
    );
    await completes('setToken', 'hasToken');
    assert.equal((await facts()).hasChat, false);
  });

  test('step 3: Detect and Pin Chat pins the chat that sends the code', async () => {
    const code = 'WALKCODE0001';
    const before = emu.requests.length;
    const pending = vscode.commands.executeCommand<PinResult>('telegramNotifier.detectChat', {
      code,
      timeoutSeconds: 30,
    });
    await eventually('a waiting getUpdates', () =>
      emu.requests.slice(before).some((r) => r.method === 'getUpdates' && r.status === 0)
        ? true
        : undefined,
    );
    emu.privateMessage(TOKEN, you, `/start ${code}`);

    const result = await pending;
    assert.equal(result.status, 'pinned');
    assert.equal(result.chat?.id, you.id);
    await completes('pinChat', 'hasChat');
  });

  test('step 4: Send Test Message reaches the chat', async () => {
    emu.clearLog();
    const delivered = await vscode.commands.executeCommand('telegramNotifier.sendTest');

    assert.equal(delivered, 1);
    const sent = emu.sentMessages({ chatId: you.id });
    assert.equal(sent.length, 1);
    assert.match(sent[0]!.text, /Test from Telegram Notifier/);
    await completes('sendTest', 'testDelivered');
  });

  test('step 5: changing what to be told about completes it', async () => {
    const events = steps.get('chooseEvents')!.completionEvents;
    assert.ok(events.includes('onSettingChanged:telegramNotifier.onlyFailures'));
    assert.ok(events.includes('onCommand:workbench.action.openSettings'));
    const changed = new Promise<boolean>((resolve) => {
      const listener = vscode.workspace.onDidChangeConfiguration((e) => {
        if (!e.affectsConfiguration('telegramNotifier.onlyFailures')) return;
        listener.dispose();
        resolve(true);
      });
    });
    await setUserSetting('onlyFailures', true);
    assert.equal(await changed, true);
  });

  test('once set up, the status item offers Send Test Message first', async () => {
    emu.clearLog();
    const picked = vscode.commands.executeCommand<string | undefined>(
      'telegramNotifier.showActions',
    );
    await new Promise((resolve) => setTimeout(resolve, 500));
    await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');

    assert.equal(await picked, 'telegramNotifier.sendTest');
    const sent = await emu.waitForMessage({ chatId: you.id, timeoutMs: 10_000, since: 0 });
    assert.match(sent.text, /Test from Telegram Notifier/);
  });
});
