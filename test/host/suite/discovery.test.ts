// Chat discovery in a real extension host against the emulator: the handshake in every kind
// of chat, the faults that must pin nothing, pin by reference, migration, the Apprise round
// trip, and a week of sends with the bot's updates long expired.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { type Emulator, ManualClock, type TgUser, startEmulator } from '../../emulator';
import { parseAppriseUrl } from '../../../src/core/apprise';
import type { PinnedChat } from '../../../src/core/chats';
import type { ImportResult } from '../../../src/vscode/apprise-commands';
import type { PinResult } from '../../../src/vscode/pin-chat';
import { activateExtension, eventually, fakeToken, setUserSetting } from '../helpers';

const BOT_ID = '7003000001';
const TOKEN = fakeToken(Number(BOT_ID), 'd');
const BOT = 'pin_test_bot';
const DAY_MS = 24 * 60 * 60 * 1000;

suite('chat discovery: detect, pin and keep the chat', () => {
  let emu: Emulator;
  let clock: ManualClock;
  let ann: TgUser;
  let mallory: TgUser;
  let codeCounter = 0;

  suiteSetup(async () => {
    clock = new ManualClock(Date.now());
    emu = await startEmulator({ clock });
    emu.addBot({ token: TOKEN, username: BOT });
    ann = emu.addUser({ firstName: 'Ann', username: 'ann_dev' });
    mallory = emu.addUser({ firstName: 'Mallory' });
    await activateExtension();
    await setUserSetting('apiBaseUrl', emu.url);
    await vscode.commands.executeCommand('telegramNotifier.setToken', TOKEN);
  });

  setup(async () => {
    await setUserSetting('chats', []);
    emu.clearLog();
  });

  suiteTeardown(async () => {
    await vscode.commands.executeCommand('telegramNotifier.removeToken', BOT_ID);
    await setUserSetting('chats', undefined);
    await setUserSetting('apiBaseUrl', undefined);
    await setUserSetting('format', undefined);
    await setUserSetting('silentSuccess', undefined);
    await emu.close();
  });

  /** A fresh code each time: a code is single-use. */
  const nextCode = () => `HOSTCODE${String(++codeCounter).padStart(4, '0')}`;

  /**
   * Starts detectChat and resolves once its long poll is waiting at the emulator. The pending
   * result comes wrapped: an async function returning a thenable would wait for it.
   */
  async function startDetect(
    args: Record<string, unknown>,
  ): Promise<{ done: Thenable<PinResult> }> {
    const before = emu.requests.length;
    const result = vscode.commands.executeCommand<PinResult>('telegramNotifier.detectChat', {
      timeoutSeconds: 30,
      webhook: 'keep',
      ...args,
    });
    await eventually('a waiting getUpdates', () =>
      emu.requests.slice(before).some((r) => r.method === 'getUpdates' && r.status === 0)
        ? true
        : undefined,
    );
    return { done: result };
  }

  const pinned = (): PinnedChat[] =>
    vscode.workspace.getConfiguration('telegramNotifier').get<PinnedChat[]>('chats') ?? [];

  test('a stranger writing first pins nothing; the owner’s code pins the owner’s private chat', async () => {
    const code = nextCode();
    const { done: detecting } = await startDetect({ code });

    emu.privateMessage(TOKEN, mallory, '/start');
    emu.privateMessage(TOKEN, mallory, 'hello bot, pin me');
    emu.privateMessage(TOKEN, ann, `/start ${code}`);
    const result = await detecting;

    assert.equal(result.status, 'pinned', result.message);
    assert.deepEqual(pinned(), [{ id: ann.id, title: 'Ann', type: 'private', botId: BOT_ID }]);
    assert.equal(emu.sentMessages({ chatId: ann.id }).length, 1, 'one confirmation to Ann');
    assert.equal(emu.sentMessages({ chatId: mallory.id }).length, 0, 'nothing to the stranger');
    assert.match(result.message ?? '', /permanent/);
  });

  test('a group: /start@bot CODE pins the group’s id, not the member’s', async () => {
    const group = emu.addGroup({ title: 'Release crew', bots: [TOKEN] });
    const code = nextCode();
    const { done: detecting } = await startDetect({ code });

    emu.groupMessage(group.id, mallory, 'good morning');
    emu.groupMessage(group.id, ann, `/start@${BOT} ${code}`);
    const result = await detecting;

    assert.equal(result.status, 'pinned', result.message);
    assert.deepEqual(pinned(), [
      { id: group.id, title: 'Release crew', type: 'group', botId: BOT_ID },
    ]);
    assert.ok(group.id < 0);
  });

  test('a forum topic keeps its thread id; the confirmation goes to that topic', async () => {
    const forum = emu.addSupergroup({
      title: 'Engineering',
      isForum: true,
      topics: ['CI alerts'],
      bots: [TOKEN],
    });
    const threadId = emu.topicId(forum.id, 'CI alerts');
    const code = nextCode();
    const { done: detecting } = await startDetect({ code });

    emu.groupMessage(forum.id, ann, `/start@${BOT} ${code}`, { threadId });
    const result = await detecting;

    assert.equal(result.status, 'pinned', result.message);
    assert.equal(pinned()[0]?.id, forum.id);
    assert.equal(pinned()[0]?.topicId, threadId);
    assert.equal(emu.sentMessages({ chatId: forum.id, threadId }).length, 1);
  });

  test('the General topic of a forum is pinned without a thread id', async () => {
    const forum = emu.addSupergroup({ title: 'Ops', isForum: true, topics: ['x'], bots: [TOKEN] });
    const code = nextCode();
    const { done: detecting } = await startDetect({ code });

    emu.groupMessage(forum.id, ann, `/start@${BOT} ${code}`);
    const result = await detecting;

    assert.equal(result.status, 'pinned', result.message);
    assert.equal(pinned()[0]?.topicId, undefined);
  });

  test('a channel: the code posted there pins the channel', async () => {
    const channel = emu.addChannel({ title: 'Deploys', bots: [TOKEN] });
    const code = nextCode();
    const { done: detecting } = await startDetect({ code });

    emu.channelPost(channel.id, code);
    const result = await detecting;

    assert.equal(result.status, 'pinned', result.message);
    assert.deepEqual(pinned(), [
      { id: channel.id, title: 'Deploys', type: 'channel', botId: BOT_ID },
    ]);
  });

  test('a bot just added to a group (my_chat_member) is a candidate the caller can choose', async () => {
    const group = emu.addGroup({ title: 'New team' });
    const { done: detecting } = await startDetect({ chatId: group.id });

    emu.addBotToChat(TOKEN, group.id, ann);
    const result = await detecting;

    assert.equal(result.status, 'pinned', result.message);
    assert.equal(pinned()[0]?.id, group.id);
  });

  test('empty updates: the wait ends with the 24-hour explanation and nothing pinned', async () => {
    // Another client of the token confirmed everything, as a rival notifier would.
    const last = emu.pendingUpdates(TOKEN).at(-1)?.update_id;
    if (last !== undefined) await botApi('getUpdates', { offset: last + 1, timeout: 0 });

    const result = await vscode.commands.executeCommand<PinResult>('telegramNotifier.detectChat', {
      timeoutSeconds: 5,
    });

    assert.equal(result.status, 'expired');
    assert.match(result.message ?? '', /24 hours/);
    assert.deepEqual(pinned(), []);
  });

  test('409 webhook: explained, nothing pinned, the webhook left alone', async () => {
    await botApi('setWebhook', { url: 'https://hooks.example.com/bot' });
    try {
      const result = await vscode.commands.executeCommand<PinResult>(
        'telegramNotifier.detectChat',
        { timeoutSeconds: 10, webhook: 'keep' },
      );
      assert.equal(result.status, 'failed');
      assert.equal(result.reason, 'webhook-active');
      assert.match(result.message ?? '', /webhook/);
      assert.deepEqual(pinned(), []);
      assert.equal(emu.requests.filter((r) => r.method === 'deleteWebhook').length, 0);
    } finally {
      await botApi('deleteWebhook', {});
    }
  });

  test('409 rival poller: says another program reads the bot, and stops', async () => {
    const { done: detecting } = await startDetect({ code: nextCode() });

    await botApi('getUpdates', { timeout: 0 });
    const result = await detecting;

    assert.equal(result.status, 'failed');
    assert.equal(result.reason, 'rival-poller');
    assert.match(result.message ?? '', /Another program/);
    assert.deepEqual(pinned(), []);
  });

  test('a second detection while one is waiting is told, and does not poll', async () => {
    const code = nextCode();
    const { done: first } = await startDetect({ code });
    const polls = emu.requests.filter((r) => r.method === 'getUpdates').length;

    const second = await vscode.commands.executeCommand<PinResult>('telegramNotifier.detectChat', {
      timeoutSeconds: 10,
    });

    assert.equal(second.status, 'busy');
    assert.match(second.message ?? '', /Another VS Code window/);
    assert.equal(emu.requests.filter((r) => r.method === 'getUpdates').length, polls);
    emu.privateMessage(TOKEN, ann, `/start ${code}`);
    assert.equal((await first).status, 'pinned');
  });

  test('pin by id, @channel and t.me/c link: checked with getChat and a test message', async () => {
    const group = emu.addGroup({ title: 'By id', bots: [TOKEN] });
    const channel = emu.addChannel({
      title: 'Public feed',
      username: 'public_feed',
      bots: [TOKEN],
    });
    const forum = emu.addSupergroup({
      title: 'Linked',
      isForum: true,
      topics: ['Builds'],
      bots: [TOKEN],
    });
    const threadId = emu.topicId(forum.id, 'Builds');
    const link = `https://t.me/c/${String(forum.id).slice(4)}/${threadId}/99`;

    const byId = await pin(String(group.id));
    const byName = await pin('@public_feed');
    const byLink = await pin(link);

    assert.deepEqual(
      [byId.status, byName.status, byLink.status],
      ['pinned', 'pinned', 'pinned'],
      [byId.message, byName.message, byLink.message].join(' | '),
    );
    assert.deepEqual(
      pinned().map((c) => [c.id, c.topicId]),
      [
        [group.id, undefined],
        [channel.id, undefined],
        [forum.id, threadId],
      ],
    );
    assert.equal(emu.sentMessages({ chatId: forum.id, threadId }).length, 1);
  });

  test('pin refused when getChat fails, with a hint for the missing minus sign', async () => {
    const group = emu.addGroup({ title: 'Minus', bots: [TOKEN] });
    const stranger = emu.addGroup({ title: 'Not ours' });
    const quiet = emu.addUser({ firstName: 'Quiet' });

    const withoutMinus = await pin(String(-group.id));
    const notMember = await pin(String(stranger.id));
    const neverStarted = await pin(String(quiet.id));

    assert.equal(withoutMinus.status, 'failed');
    assert.match(withoutMinus.message ?? '', new RegExp(`${group.id} is "Minus".*minus sign`));
    assert.equal(notMember.status, 'failed');
    assert.equal(neverStarted.status, 'failed');
    assert.match(neverStarted.message ?? '', /press Start/);
    assert.deepEqual(pinned(), []);
    assert.equal(emu.requests.filter((r) => r.method === 'sendMessage').length, 0);
  });

  test('a group upgraded to a supergroup: the send follows and the new id is persisted', async () => {
    const group = emu.addGroup({ title: 'Upgraded', bots: [TOKEN] });
    assert.equal((await pin(String(group.id))).status, 'pinned');
    const supergroup = emu.migrateGroup(group.id, ann);

    const delivered = await vscode.commands.executeCommand<number>('telegramNotifier.sendTest');

    assert.equal(delivered, 1);
    assert.equal(emu.sentMessages({ chatId: supergroup.id }).length, 1);
    const chats = await eventually('the new id in settings', () =>
      pinned()[0]?.id === supergroup.id ? pinned() : undefined,
    );
    assert.deepEqual(chats, [
      { id: supergroup.id, title: 'Upgraded', type: 'supergroup', botId: BOT_ID },
    ]);
  });

  test('Apprise URL round trip: import pins and sets, copy gives the same setup back', async () => {
    const otherToken = fakeToken(7003000002, 'a');
    emu.addBot({ token: otherToken, username: 'apprise_bot' });
    const group = emu.addGroup({ title: 'Imported', bots: [otherToken] });
    const forum = emu.addSupergroup({
      title: 'Imported forum',
      isForum: true,
      topics: ['T'],
      bots: [otherToken],
    });
    const threadId = emu.topicId(forum.id, 'T');
    const url = `tgram://${otherToken}/${group.id}/${forum.id}:${threadId}/?format=markdown&silent=yes`;

    try {
      const imported = await vscode.commands.executeCommand<ImportResult>(
        'telegramNotifier.importAppriseUrl',
        url,
      );
      assert.equal(imported.status, 'imported', imported.message);
      assert.deepEqual(
        pinned().map((c) => [c.id, c.topicId, c.botId]),
        [
          [group.id, undefined, '7003000002'],
          [forum.id, threadId, '7003000002'],
        ],
      );
      const config = vscode.workspace.getConfiguration('telegramNotifier');
      assert.equal(config.get('format'), 'markdown');
      assert.equal(config.get('silentSuccess'), true);

      const copied = await vscode.commands.executeCommand<boolean>(
        'telegramNotifier.copyAppriseUrl',
        { botId: '7003000002', confirmed: true },
      );
      assert.equal(copied, true);
      const back = parseAppriseUrl(await vscode.env.clipboard.readText());
      assert.equal(back.token, otherToken);
      assert.deepEqual(back.targets, [
        { chatId: group.id },
        { chatId: forum.id, topicId: threadId },
      ]);
      assert.equal(back.format, 'markdown');
    } finally {
      await vscode.env.clipboard.writeText('');
      await vscode.commands.executeCommand('telegramNotifier.removeToken', '7003000002');
    }
  });

  test('a week of notifications after pinning: updates expired, sends never call getUpdates', async () => {
    const code = nextCode();
    const { done: detecting } = await startDetect({ code });
    emu.privateMessage(TOKEN, ann, `/start ${code}`);
    assert.equal((await detecting).status, 'pinned');
    emu.privateMessage(TOKEN, ann, 'an update nobody confirms');
    emu.clearLog();

    for (let day = 1; day <= 7; day++) {
      clock.advance(DAY_MS);
      const delivered = await vscode.commands.executeCommand<number>('telegramNotifier.sendTest');
      assert.equal(delivered, 1, `day ${day}`);
    }

    assert.deepEqual(emu.pendingUpdates(TOKEN), [], 'the emulator expired every update');
    assert.equal(emu.requests.filter((r) => r.method === 'sendMessage').length, 7);
    assert.equal(emu.requests.filter((r) => r.method === 'getUpdates').length, 0);
  });

  /** Pins through the command, as a script would. */
  function pin(chat: string): Thenable<PinResult> {
    return vscode.commands.executeCommand<PinResult>('telegramNotifier.pinChat', {
      chat,
      botId: BOT_ID,
    });
  }

  /** Calls the emulator directly, as another program using the same token would. */
  async function botApi(method: string, params: object): Promise<unknown> {
    const response = await fetch(`${emu.url}/bot${TOKEN}/${method}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(params),
    });
    return response.json();
  }
});
