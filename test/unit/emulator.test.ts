import assert from 'node:assert/strict';
import { type TestContext, describe, test } from 'node:test';
import {
  type Emulator,
  type EmulatorOptions,
  ManualClock,
  type TgUpdate,
  type TgUser,
  apiErrorBody,
  startEmulator,
} from '../emulator/index';

const TOKEN = '123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw9';
const OTHER_TOKEN = '987654321:BBHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw9';
const DAY_MS = 24 * 60 * 60 * 1000;

interface Reply {
  status: number;
  contentType: string | null;
  headers: Headers;
  body: Record<string, unknown>;
}

interface Setup {
  emu: Emulator;
  clock: ManualClock;
  ann: TgUser;
  call(method: string, params?: Record<string, unknown>, token?: string): Promise<Reply>;
}

/** An emulator on a manual clock with one bot (@ci_bot) and one user (Ann), closed after `t`. */
async function setup(t: TestContext, options: EmulatorOptions = {}): Promise<Setup> {
  const clock = new ManualClock();
  const emu = await startEmulator({ clock, ...options });
  t.after(() => emu.close());
  emu.addBot({ token: TOKEN, username: 'ci_bot', firstName: 'CI' });
  const ann = emu.addUser({ firstName: 'Ann', username: 'ann', languageCode: 'en' });
  const call = (method: string, params: Record<string, unknown> = {}, token = TOKEN) =>
    post(emu, token, method, params);
  return { emu, clock, ann, call };
}

async function post(
  emu: Emulator,
  token: string,
  method: string,
  params: Record<string, unknown>,
): Promise<Reply> {
  const res = await fetch(`${emu.url}/bot${token}/${method}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(params),
  });
  const body = (await res.json()) as Record<string, unknown>;
  return {
    status: res.status,
    contentType: res.headers.get('content-type'),
    headers: res.headers,
    body,
  };
}

function updatesOf(reply: Reply): TgUpdate[] {
  assert.equal(reply.status, 200, JSON.stringify(reply.body));
  return reply.body.result as TgUpdate[];
}

function assertError(reply: Reply, code: number, description: string, parameters?: object) {
  assert.equal(reply.status, code);
  assert.equal(reply.contentType, 'application/json');
  const expected: Record<string, unknown> = { ok: false, error_code: code, description };
  if (parameters !== undefined) expected.parameters = parameters;
  assert.deepEqual(reply.body, expected);
}

describe('emulator: tokens and routing', () => {
  test('getMe answers the bot as a User with its capabilities', async (t) => {
    const { call } = await setup(t);
    const reply = await call('getMe');
    assert.equal(reply.status, 200);
    assert.deepEqual(reply.body, {
      ok: true,
      result: {
        id: 123456789,
        is_bot: true,
        first_name: 'CI',
        username: 'ci_bot',
        can_join_groups: true,
        can_read_all_group_messages: false,
        supports_inline_queries: false,
        can_connect_to_business: false,
        has_main_web_app: false,
      },
    });
  });

  test('an unknown or revoked token answers 401 Unauthorized', async (t) => {
    const { emu, call } = await setup(t);
    assertError(await call('getMe', {}, OTHER_TOKEN), 401, 'Unauthorized');
    emu.revokeToken(TOKEN);
    assertError(await call('getMe'), 401, 'Unauthorized');
  });

  test('a token without a colon is refused before any lookup', async (t) => {
    const { call } = await setup(t);
    assertError(await call('getMe', {}, 'nocolon'), 401, 'Unauthorized: invalid token specified');
  });

  test('an unknown method answers 404 Not Found; method names ignore case', async (t) => {
    const { call } = await setup(t);
    assertError(await call('sendTelepathy'), 404, 'Not Found');
    assert.equal((await call('GETME')).status, 200);
  });

  test('parameters are read from the query string and from urlencoded forms', async (t) => {
    const { emu, ann } = await setup(t);
    emu.setStarted(TOKEN, ann);
    const viaQuery = await fetch(`${emu.url}/bot${TOKEN}/sendMessage?chat_id=${ann.id}&text=q`);
    assert.equal(viaQuery.status, 200);
    const viaForm = await fetch(`${emu.url}/bot${TOKEN}/sendMessage`, {
      method: 'POST',
      body: new URLSearchParams({
        chat_id: String(ann.id),
        text: 'f',
        disable_notification: 'true',
      }),
    });
    assert.equal(viaForm.status, 200);
    assert.deepEqual(
      emu.sentMessages().map((m) => [m.text, m.disableNotification]),
      [
        ['q', false],
        ['f', true],
      ],
    );
  });

  test('the log names requests with the token masked', async (t) => {
    const lines: string[] = [];
    const { call } = await setup(t, { log: (line) => lines.push(line) });
    await call('getMe');
    await call('getMe', {}, OTHER_TOKEN);
    assert.ok(
      lines.some((l) => l.includes('/bot123456789:***/getMe -> 200')),
      lines.join('\n'),
    );
    assert.ok(lines.every((l) => !l.includes('AAHdqTcv') && !l.includes('BBHdqTcv')));
  });
});

describe('emulator: update shapes', () => {
  test('a private message has from, its chat, a clock date and a command entity', async (t) => {
    const { emu, clock, ann, call } = await setup(t);
    emu.privateMessage(TOKEN, ann, '/start CODE42');
    clock.advance(5000);
    emu.privateMessage(TOKEN, ann, 'thanks');

    const [first, second] = updatesOf(await call('getUpdates'));
    assert.deepEqual(first, {
      update_id: 100000,
      message: {
        message_id: 1,
        from: {
          id: ann.id,
          is_bot: false,
          first_name: 'Ann',
          username: 'ann',
          language_code: 'en',
        },
        chat: { id: ann.id, type: 'private', first_name: 'Ann', username: 'ann' },
        date: Date.UTC(2024, 0, 1) / 1000,
        text: '/start CODE42',
        entities: [{ type: 'bot_command', offset: 0, length: 6 }],
      },
    });
    assert.equal(second?.update_id, 100001);
    assert.equal(second?.message?.message_id, 2);
    assert.equal(second?.message?.date, Date.UTC(2024, 0, 1) / 1000 + 5);
  });

  test('a group message has the user in from and the group in chat', async (t) => {
    const { emu, ann, call } = await setup(t);
    const group = emu.addGroup({ title: 'Builders', bots: [TOKEN] });
    emu.groupMessage(group, ann, '/start@ci_bot CODE42');

    const [update] = updatesOf(await call('getUpdates'));
    assert.equal(update?.message?.from?.id, ann.id);
    assert.deepEqual(update?.message?.chat, { id: group.id, title: 'Builders', type: 'group' });
    assert.ok(group.id < 0);
    assert.deepEqual(update?.message?.entities, [{ type: 'bot_command', offset: 0, length: 13 }]);
  });

  test('privacy mode hides plain chatter and commands addressed to another bot', async (t) => {
    const { emu, ann, call } = await setup(t);
    const group = emu.addSupergroup({ title: 'Team', bots: [TOKEN] });
    emu.groupMessage(group, ann, 'hello all');
    emu.groupMessage(group, ann, '/start@other_bot X');
    emu.groupMessage(group, ann, '/start X');

    const texts = updatesOf(await call('getUpdates')).map((u) => u.message?.text);
    assert.deepEqual(texts, ['/start X']);
  });

  test('a topic message has a thread id and is_topic_message; General has neither', async (t) => {
    const { emu, ann, call } = await setup(t);
    const forum = emu.addSupergroup({ title: 'Forum', isForum: true, topics: ['CI'] });
    emu.addBotToChat(TOKEN, forum, ann, 'administrator');
    const ci = emu.topicId(forum, 'CI');
    emu.groupMessage(forum, ann, 'in topic', { threadId: ci });
    emu.groupMessage(forum, ann, 'in general');

    const messages = updatesOf(await call('getUpdates')).flatMap((u) => u.message ?? []);
    const inTopic = messages.find((m) => m.text === 'in topic');
    const inGeneral = messages.find((m) => m.text === 'in general');
    assert.equal(inTopic?.message_thread_id, ci);
    assert.equal(inTopic?.is_topic_message, true);
    assert.equal(inTopic?.reply_to_message?.forum_topic_created?.name, 'CI');
    assert.equal(inTopic?.chat.is_forum, true);
    assert.ok(String(forum.id).startsWith('-100'));
    assert.equal(inGeneral?.message_thread_id, undefined);
    assert.equal(inGeneral?.is_topic_message, undefined);
  });

  test('a channel post has no from and the channel as sender_chat', async (t) => {
    const { emu, call } = await setup(t);
    const channel = emu.addChannel({ title: 'Releases', username: 'releases', bots: [TOKEN] });
    emu.channelPost('@releases', '/start CODE42');

    const [update] = updatesOf(await call('getUpdates'));
    const post = update?.channel_post;
    assert.equal(update?.message, undefined);
    assert.equal(post?.from, undefined);
    assert.deepEqual(post?.sender_chat, {
      id: channel.id,
      title: 'Releases',
      username: 'releases',
      type: 'channel',
    });
    assert.deepEqual(post?.chat, post?.sender_chat);
  });

  test('adding the bot yields my_chat_member from the adder, then new_chat_members', async (t) => {
    const { emu, ann, call } = await setup(t);
    const group = emu.addGroup({ title: 'Ops' });
    emu.addBotToChat(TOKEN, group, ann);

    const [membership, service] = updatesOf(await call('getUpdates'));
    const change = membership?.my_chat_member;
    assert.equal(change?.from.id, ann.id);
    assert.equal(change?.chat.id, group.id);
    assert.equal(change?.old_chat_member.status, 'left');
    assert.equal(change?.new_chat_member.status, 'member');
    assert.equal(change?.new_chat_member.user.id, 123456789);
    assert.deepEqual(
      service?.message?.new_chat_members?.map((u) => u.username),
      ['ci_bot'],
    );
  });

  test('allowed_updates filters updates created after the call', async (t) => {
    const { emu, ann, call } = await setup(t);
    await call('getUpdates', { allowed_updates: ['my_chat_member'] });
    emu.privateMessage(TOKEN, ann, 'ignored');
    emu.blockBot(TOKEN, ann);
    const kinds = updatesOf(await call('getUpdates')).map((u) => Object.keys(u)[1]);
    assert.deepEqual(kinds, ['my_chat_member']);
  });

  test('pushUpdate queues a raw update with the next update_id', async (t) => {
    const { emu, call } = await setup(t);
    emu.pushUpdate(TOKEN, { edited_message: { message_id: 9 } });
    assert.deepEqual(updatesOf(await call('getUpdates')), [
      { update_id: 100000, edited_message: { message_id: 9 } },
    ]);
  });
});

describe('emulator: getUpdates semantics', () => {
  test('updates older than 24 hours vanish by the clock', async (t) => {
    const { emu, clock, ann, call } = await setup(t);
    emu.privateMessage(TOKEN, ann, '/start OLD');
    clock.advance(DAY_MS - 1000);
    emu.privateMessage(TOKEN, ann, '/start NEW');
    assert.equal(updatesOf(await call('getUpdates')).length, 2);

    clock.advance(2000);
    const texts = updatesOf(await call('getUpdates')).map((u) => u.message?.text);
    assert.deepEqual(texts, ['/start NEW']);
    const info = await call('getWebhookInfo');
    assert.equal((info.body.result as { pending_update_count: number }).pending_update_count, 1);
  });

  test('an offset confirms and deletes every earlier update', async (t) => {
    const { emu, ann, call } = await setup(t);
    for (const text of ['a', 'b', 'c']) emu.privateMessage(TOKEN, ann, text);
    const all = updatesOf(await call('getUpdates'));
    const second = all[1]?.update_id ?? 0;

    assert.deepEqual(
      updatesOf(await call('getUpdates', { offset: second })).map((u) => u.message?.text),
      ['b', 'c'],
    );
    // Confirmed means gone, even for a client that asks from the start again.
    assert.equal(updatesOf(await call('getUpdates')).length, 2);
  });

  test('a negative offset keeps only the last updates and forgets the rest', async (t) => {
    const { emu, ann, call } = await setup(t);
    for (const text of ['a', 'b', 'c']) emu.privateMessage(TOKEN, ann, text);
    const last = updatesOf(await call('getUpdates', { offset: -1 }));
    assert.deepEqual(
      last.map((u) => u.message?.text),
      ['c'],
    );
    assert.equal(updatesOf(await call('getUpdates')).length, 1);
  });

  test('limit caps the batch size', async (t) => {
    const { emu, ann, call } = await setup(t);
    for (const text of ['a', 'b', 'c']) emu.privateMessage(TOKEN, ann, text);
    assert.equal(updatesOf(await call('getUpdates', { limit: 2 })).length, 2);
  });

  test('a long poll returns as soon as an update arrives', async (t) => {
    const { emu, ann, call } = await setup(t);
    const started = Date.now();
    const polling = call('getUpdates', { timeout: 10 });
    setTimeout(() => emu.privateMessage(TOKEN, ann, 'ping'), 100);

    const updates = updatesOf(await polling);
    assert.equal(updates[0]?.message?.text, 'ping');
    assert.ok(Date.now() - started < 3000, 'the poll should not wait for its timeout');
  });

  test('a long poll with nothing to deliver answers an empty list after its timeout', async (t) => {
    const { call } = await setup(t);
    const started = Date.now();
    assert.deepEqual(updatesOf(await call('getUpdates', { timeout: 1 })), []);
    assert.ok(Date.now() - started >= 900);
  });

  test('a client that gives up on a long poll leaves no poller behind', async (t) => {
    const { emu, ann, call } = await setup(t);
    const gaveUp = fetch(`${emu.url}/bot${TOKEN}/getUpdates?timeout=10`, {
      signal: AbortSignal.timeout(100),
    });
    await assert.rejects(gaveUp);
    // Let the server notice the closed socket before anything arrives.
    await new Promise((resolve) => setTimeout(resolve, 50));
    emu.privateMessage(TOKEN, ann, 'still here');
    assert.equal(updatesOf(await call('getUpdates'))[0]?.message?.text, 'still here');
    assert.equal(emu.requests[0]?.status, 0);
  });

  test('getUpdates answers 409 while a webhook is set', async (t) => {
    const { call } = await setup(t);
    const set = await call('setWebhook', { url: 'https://example.com/hook' });
    assert.deepEqual(set.body, { ok: true, result: true, description: 'Webhook was set' });
    assertError(
      await call('getUpdates'),
      409,
      "Conflict: can't use getUpdates method while webhook is active; " +
        'use deleteWebhook to delete the webhook first',
    );
    await call('deleteWebhook');
    assert.equal((await call('getUpdates')).status, 200);
  });

  test('a second getUpdates makes the first, still polling, answer 409', async (t) => {
    const { emu, ann, call } = await setup(t);
    const first = call('getUpdates', { timeout: 10 });
    await new Promise((resolve) => setTimeout(resolve, 100));
    const second = call('getUpdates', { timeout: 10 });

    assertError(
      await first,
      409,
      'Conflict: terminated by other getUpdates request; ' +
        'make sure that only one bot instance is running',
    );
    emu.privateMessage(TOKEN, ann, 'for the survivor');
    assert.equal(updatesOf(await second)[0]?.message?.text, 'for the survivor');
  });

  test('deleteWebhook with drop_pending_updates discards the queue', async (t) => {
    const { emu, ann, call } = await setup(t);
    emu.privateMessage(TOKEN, ann, 'lost');
    await call('deleteWebhook', { drop_pending_updates: true });
    assert.deepEqual(updatesOf(await call('getUpdates')), []);
  });
});

describe('emulator: sending', () => {
  test('sendMessage returns a full Message and records what was delivered', async (t) => {
    const { emu, ann, call } = await setup(t);
    emu.privateMessage(TOKEN, ann, '/start');
    const reply = await call('sendMessage', {
      chat_id: ann.id,
      text: '<b>Build</b> passed &amp; done',
      parse_mode: 'HTML',
      disable_notification: true,
      link_preview_options: { is_disabled: true },
    });

    assert.equal(reply.status, 200);
    const message = reply.body.result as Record<string, unknown>;
    assert.equal(message.text, 'Build passed & done');
    assert.deepEqual(message.entities, [{ type: 'bold', offset: 0, length: 5 }]);
    assert.deepEqual(message.from, {
      id: 123456789,
      is_bot: true,
      first_name: 'CI',
      username: 'ci_bot',
    });
    assert.deepEqual(message.link_preview_options, { is_disabled: true });
    const [sent] = emu.sentMessages({ chatId: ann.id });
    assert.equal(sent?.parseMode, 'HTML');
    assert.equal(sent?.disableNotification, true);
    assert.equal(sent?.rawText, '<b>Build</b> passed &amp; done');
  });

  test('a channel is reachable by @username and the post is signed by the channel', async (t) => {
    const { emu, call } = await setup(t);
    const channel = emu.addChannel({ title: 'Releases', username: 'releases', bots: [TOKEN] });
    const reply = await call('sendMessage', { chat_id: '@releases', text: 'v1.2 out' });
    const message = reply.body.result as Record<string, unknown>;
    assert.equal((message.chat as { id: number }).id, channel.id);
    assert.equal(message.from, undefined);
    assert.equal((message.sender_chat as { id: number }).id, channel.id);
  });

  test('refusals use the Bot API wording for each chat state', async (t) => {
    const { emu, ann, call } = await setup(t);
    const bob = emu.addUser({ firstName: 'Bob' });
    assertError(
      await call('sendMessage', { chat_id: bob.id, text: 'x' }),
      400,
      'Bad Request: chat not found',
    );
    assertError(
      await call('sendMessage', { chat_id: 42, text: 'x' }),
      400,
      'Bad Request: chat not found',
    );

    const group = emu.addGroup({ title: 'G' });
    emu.groupMessage(group, bob, 'hi');
    emu.addBotToChat(TOKEN, group, ann);
    emu.groupMessage(group, bob, '/help');
    assertError(
      await call('sendMessage', { chat_id: bob.id, text: 'x' }),
      403,
      "Forbidden: bot can't initiate conversation with a user",
    );

    emu.privateMessage(TOKEN, ann, '/start');
    emu.blockBot(TOKEN, ann);
    assertError(
      await call('sendMessage', { chat_id: ann.id, text: 'x' }),
      403,
      'Forbidden: bot was blocked by the user',
    );

    emu.removeBotFromChat(TOKEN, group, ann);
    assertError(
      await call('sendMessage', { chat_id: group.id, text: 'x' }),
      403,
      'Forbidden: bot was kicked from the group chat',
    );
  });

  test('a deleted topic answers "message thread not found"; General takes none', async (t) => {
    const { emu, call } = await setup(t);
    const forum = emu.addSupergroup({ title: 'F', isForum: true, topics: ['CI'], bots: [TOKEN] });
    const ci = emu.topicId(forum, 'CI');
    const ok = await call('sendMessage', { chat_id: forum.id, message_thread_id: ci, text: 'a' });
    assert.equal((ok.body.result as { is_topic_message?: boolean }).is_topic_message, true);
    assert.equal(emu.sentMessages()[0]?.threadId, ci);

    const general = await call('sendMessage', { chat_id: forum.id, text: 'b' });
    assert.equal(
      (general.body.result as { message_thread_id?: number }).message_thread_id,
      undefined,
    );

    emu.deleteTopic(forum, ci);
    assertError(
      await call('sendMessage', { chat_id: forum.id, message_thread_id: ci, text: 'c' }),
      400,
      'Bad Request: message thread not found',
    );
  });

  test('getChat describes a known chat and answers 400 for an unknown one', async (t) => {
    const { emu, call } = await setup(t);
    const group = emu.addSupergroup({ title: 'Team', username: 'team', bots: [TOKEN] });
    const reply = await call('getChat', { chat_id: '@team' });
    assert.equal((reply.body.result as { id: number }).id, group.id);
    assert.equal((reply.body.result as { type: string }).type, 'supergroup');
    assertError(await call('getChat', { chat_id: -100999 }), 400, 'Bad Request: chat not found');
  });

  test('waitForMessage resolves on the next delivery and rejects after its timeout', async (t) => {
    const { emu, ann, call } = await setup(t);
    emu.setStarted(TOKEN, ann);
    const waiting = emu.waitForMessage({ chatId: ann.id, timeoutMs: 2000 });
    await call('sendMessage', { chat_id: ann.id, text: 'done' });
    assert.equal((await waiting).text, 'done');
    await assert.rejects(emu.waitForMessage({ chatId: ann.id, timeoutMs: 50 }), /within 50 ms/);
  });
});

describe('emulator: group migration', () => {
  test('an upgrade sends migrate_to_chat_id; later sends to the old id answer 400', async (t) => {
    const { emu, ann, call } = await setup(t);
    const group = emu.addGroup({ title: 'Old', bots: [TOKEN] });
    const supergroup = emu.migrateGroup(group, ann);
    assert.ok(String(supergroup.id).startsWith('-100'));

    const [to, from] = updatesOf(await call('getUpdates'));
    assert.equal(to?.message?.chat.id, group.id);
    assert.equal(to?.message?.migrate_to_chat_id, supergroup.id);
    assert.equal(from?.message?.chat.id, supergroup.id);
    assert.equal(from?.message?.migrate_from_chat_id, group.id);

    assertError(
      await call('sendMessage', { chat_id: group.id, text: 'x' }),
      400,
      'Bad Request: group chat was upgraded to a supergroup chat',
      { migrate_to_chat_id: supergroup.id },
    );
    assert.equal((await call('sendMessage', { chat_id: supergroup.id, text: 'x' })).status, 200);
  });
});

describe('emulator: flood limits', () => {
  test('a burst in one private chat ends in 429 with retry_after until time passes', async (t) => {
    const { emu, clock, ann, call } = await setup(t, { limits: true });
    emu.setStarted(TOKEN, ann);
    const send = () => call('sendMessage', { chat_id: ann.id, text: 'x' });
    for (let i = 0; i < 3; i++) assert.equal((await send()).status, 200);

    const refused = await send();
    assertError(refused, 429, 'Too Many Requests: retry after 1', { retry_after: 1 });
    assert.equal(refused.headers.get('retry-after'), '1');
    assert.equal(emu.sentMessages().length, 3);

    clock.advance(1000);
    assert.equal((await send()).status, 200);
  });

  test('a group at one message a second hits its 20-a-minute limit on the 30th', async (t) => {
    const { emu, clock, call } = await setup(t, { limits: true });
    const group = emu.addGroup({ title: 'G', bots: [TOKEN] });
    const send = () => call('sendMessage', { chat_id: group.id, text: 'x' });

    // 20 at once, then one every 3 s refills: at 1/s the bucket runs dry after 29 sends.
    for (let i = 0; i < 29; i++) {
      clock.advance(1000);
      assert.equal((await send()).status, 200, `send ${i + 1}`);
    }
    clock.advance(1000);
    assertError(await send(), 429, 'Too Many Requests: retry after 1', { retry_after: 1 });
  });

  test('limits are off unless asked for', async (t) => {
    const { emu, ann, call } = await setup(t);
    emu.setStarted(TOKEN, ann);
    for (let i = 0; i < 10; i++) {
      assert.equal((await call('sendMessage', { chat_id: ann.id, text: 'x' })).status, 200);
    }
  });
});

describe('emulator: text checks', () => {
  async function sendText(t: TestContext, text: string, parseMode?: string): Promise<Reply> {
    const { emu, ann, call } = await setup(t);
    emu.setStarted(TOKEN, ann);
    return call('sendMessage', { chat_id: ann.id, text, parse_mode: parseMode });
  }
  const parseError = (detail: string) => `Bad Request: can't parse entities: ${detail}`;

  test('HTML refuses an unsupported tag with its byte offset', async (t) => {
    const reply = await sendText(t, 'ok <br> no', 'HTML');
    assertError(reply, 400, parseError('Unsupported start tag "br" at byte offset 3'));
  });

  test('HTML refuses a bare < as an empty start tag', async (t) => {
    const reply = await sendText(t, 'if a < b', 'HTML');
    assertError(reply, 400, parseError('Unsupported start tag "" at byte offset 5'));
  });

  test('HTML refuses a bare & that starts no entity', async (t) => {
    const reply = await sendText(t, 'fish & chips', 'HTML');
    assertError(
      reply,
      400,
      parseError("Character '&' at byte offset 5 starts no HTML entity; write it as &amp;"),
    );
  });

  test('HTML refuses unclosed and crossed tags', async (t) => {
    assertError(
      await sendText(t, '<b>bold', 'HTML'),
      400,
      parseError('Can\'t find end tag corresponding to start tag "b"'),
    );
    assertError(
      await sendText(t, '<b><i>x</b></i>', 'HTML'),
      400,
      parseError('Unmatched end tag at byte offset 7, expected "</i>", found "</b>"'),
    );
  });

  test('HTML accepts nested supported tags, links and numeric entities', async (t) => {
    const reply = await sendText(
      t,
      '<b>a <i>b</i></b> <a href="https://x.org/?a=1&amp;b=2">l</a> &#9989; ' +
        '<pre><code class="language-sh">ls</code></pre>',
      'HTML',
    );
    assert.equal(reply.status, 200, JSON.stringify(reply.body));
    const message = reply.body.result as { text: string; entities: unknown[] };
    assert.equal(message.text, 'a b l ✅ ls');
    assert.deepEqual(message.entities, [
      { type: 'bold', offset: 0, length: 3 },
      { type: 'italic', offset: 2, length: 1 },
      { type: 'text_link', offset: 4, length: 1, url: 'https://x.org/?a=1&b=2' },
      { type: 'pre', offset: 8, length: 2, language: 'sh' },
    ]);
  });

  test('MarkdownV2 refuses an unescaped reserved character', async (t) => {
    const reply = await sendText(t, 'Build 1.2 passed', 'MarkdownV2');
    assertError(
      reply,
      400,
      parseError("Character '.' is reserved and must be escaped with the preceding '\\'"),
    );
  });

  test('MarkdownV2 refuses an entity that never ends', async (t) => {
    const reply = await sendText(t, '*bold and \\- more', 'MarkdownV2');
    assertError(reply, 400, parseError("Can't find end of Bold entity at byte offset 0"));
  });

  test('MarkdownV2 accepts escapes, and inside code only ` and \\ need one', async (t) => {
    const reply = await sendText(t, '*Build* 1\\.2 \\- `a.b-c!` done\\!', 'MarkdownV2');
    assert.equal(reply.status, 200, JSON.stringify(reply.body));
    const message = reply.body.result as { text: string; entities: unknown[] };
    assert.equal(message.text, 'Build 1.2 - a.b-c! done!');
    assert.deepEqual(message.entities, [
      { type: 'bold', offset: 0, length: 5 },
      { type: 'code', offset: 12, length: 6 },
    ]);
  });

  test('the 4096 limit counts the text after parsing', async (t) => {
    const fits = await sendText(t, `<b>${'x'.repeat(4096)}</b>`, 'HTML');
    assert.equal(fits.status, 200);
    const tooLong = await sendText(t, `<b>${'x'.repeat(4097)}</b>`, 'HTML');
    assertError(tooLong, 400, 'Bad Request: message is too long');
  });

  test('an empty text, or one empty after parsing, is refused', async (t) => {
    assertError(await sendText(t, ''), 400, 'Bad Request: message text is empty');
    assertError(await sendText(t, '<b> </b>', 'HTML'), 400, 'Bad Request: message text is empty');
  });

  test('an unknown parse mode is refused', async (t) => {
    assertError(await sendText(t, 'x', 'Textile'), 400, 'Bad Request: unsupported parse_mode');
  });
});

describe('emulator: fault injection', () => {
  test('a dropped connection gives the client no response at all', async (t) => {
    const { emu, call } = await setup(t);
    emu.failNext({ method: 'getMe', drop: true });
    await assert.rejects(call('getMe'));
    assert.equal((await call('getMe')).status, 200);
    assert.equal(emu.requests[0]?.fault, 'drop');
  });

  test('a delay holds the answer back, then the call proceeds', async (t) => {
    const { emu, call } = await setup(t);
    emu.failNext({ delayMs: 300 });
    const started = Date.now();
    assert.equal((await call('getMe')).status, 200);
    assert.ok(Date.now() - started >= 280);
  });

  test('a 502 with an HTML body arrives as such', async (t) => {
    const { emu } = await setup(t);
    emu.failNext({ status: 502, body: '<html><body>502 Bad Gateway</body></html>' });
    const res = await fetch(`${emu.url}/bot${TOKEN}/getMe`);
    assert.equal(res.status, 502);
    assert.equal(res.headers.get('content-type'), 'text/html');
    assert.match(await res.text(), /Bad Gateway/);
  });

  test('a 200 whose body says ok:false is delivered verbatim', async (t) => {
    const { emu, call } = await setup(t);
    emu.failNext({
      method: 'sendMessage',
      status: 200,
      body: apiErrorBody(400, 'Bad Request: odd'),
    });
    const reply = await call('sendMessage', { chat_id: 1, text: 'x' });
    assert.equal(reply.status, 200);
    assert.deepEqual(reply.body, { ok: false, error_code: 400, description: 'Bad Request: odd' });
  });

  test('a truncated body is not valid JSON', async (t) => {
    const { emu } = await setup(t);
    emu.failNext({ truncate: true });
    const res = await fetch(`${emu.url}/bot${TOKEN}/getMe`);
    assert.equal(res.status, 200);
    await assert.rejects(res.json());
  });

  test('a drop after handling delivers the message but loses the reply', async (t) => {
    const { emu, ann, call } = await setup(t);
    emu.setStarted(TOKEN, ann);
    emu.failNext({ method: 'sendMessage', drop: true, afterHandling: true });
    await assert.rejects(call('sendMessage', { chat_id: ann.id, text: 'twice?' }));
    assert.equal(emu.sentMessages().length, 1);
  });

  test('faults match only their method and only as many times as asked', async (t) => {
    const { emu, call } = await setup(t);
    emu.failNext({ method: 'sendMessage', times: 2, status: 500, body: apiErrorBody(500, 'x') });
    assert.equal((await call('getMe')).status, 200);
    assert.equal((await call('sendMessage')).status, 500);
    assert.equal((await call('sendMessage')).status, 500);
    assert.equal((await call('sendMessage')).status, 400);
  });

  test('failAll fails every call until cleared', async (t) => {
    const { emu, call } = await setup(t);
    emu.failAll();
    for (let i = 0; i < 3; i++) {
      assertError(await call('getMe'), 500, 'Internal Server Error');
    }
    emu.clearFaults();
    assert.equal((await call('getMe')).status, 200);
  });

  test('refused connections fail fast, and the same port serves again afterwards', async (t) => {
    const { emu, call } = await setup(t);
    assert.equal((await call('getMe')).status, 200);
    const url = emu.url;

    await emu.refuseConnections(true);
    await assert.rejects(call('getMe'), (error: Error) => {
      const cause = (error as { cause?: { code?: string } }).cause;
      return cause?.code === 'ECONNREFUSED';
    });

    await emu.refuseConnections(false);
    assert.equal(emu.url, url);
    assert.equal((await call('getMe')).status, 200);
  });

  test('every request is recorded with its method, parameters and answer', async (t) => {
    const { emu, call } = await setup(t);
    await call('getMe');
    await call('getUpdates', { limit: 5 });
    assert.deepEqual(
      emu.requests.map((r) => [r.method, r.status, r.params.limit]),
      [
        ['getMe', 200, undefined],
        ['getUpdates', 200, 5],
      ],
    );
  });
});
