import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  candidateFromUpdate,
  candidatesFromUpdates,
  describeCandidate,
} from '../../src/core/discovery/candidates';
import {
  Handshake,
  HandshakeCodeError,
  newHandshakeCode,
} from '../../src/core/discovery/handshake';
import { discoverChat, type UpdateSource } from '../../src/core/discovery/poll';
import { TelegramApiError, TelegramTransportError } from '../../src/core/errors';
import { memoryLogger } from '../../src/core/log';
import type { Update } from '../../src/core/telegram-types';

// Update shapes as the Bot API sends them (field sets copied from real getUpdates answers,
// ids and names changed).
const alice = { id: 5551001, is_bot: false, first_name: 'Alice', username: 'alice_dev' };
const stranger = { id: 5559999, is_bot: false, first_name: 'Mallory' };
const bot = { id: 7000001, is_bot: true, first_name: 'Build Bot', username: 'build_bot' };

const privateStart: Update = {
  update_id: 100,
  message: {
    message_id: 1,
    from: alice,
    chat: { id: 5551001, type: 'private', first_name: 'Alice', username: 'alice_dev' },
    date: 1_700_000_000,
    text: '/start K7QFM3XRTA',
  },
};

const groupCommand: Update = {
  update_id: 101,
  message: {
    message_id: 20,
    from: alice,
    chat: { id: -4012345678, type: 'group', title: 'Release crew' },
    date: 1_700_000_010,
    text: '/start@build_bot K7QFM3XRTA',
  },
};

const supergroupMessage: Update = {
  update_id: 102,
  message: {
    message_id: 31,
    from: alice,
    chat: { id: -1001987654321, type: 'supergroup', title: 'Platform', username: 'platform_chat' },
    date: 1_700_000_020,
    text: 'K7QFM3XRTA',
  },
};

const forumTopicMessage: Update = {
  update_id: 103,
  message: {
    message_id: 77,
    message_thread_id: 42,
    is_topic_message: true,
    from: alice,
    chat: { id: -1002223334445, type: 'supergroup', title: 'Engineering', is_forum: true },
    date: 1_700_000_030,
    reply_to_message: {
      message_id: 42,
      message_thread_id: 42,
      is_topic_message: true,
      from: alice,
      chat: { id: -1002223334445, type: 'supergroup', title: 'Engineering', is_forum: true },
      date: 1_699_000_000,
      forum_topic_created: { name: 'CI alerts' },
    },
    text: '/start@build_bot K7QFM3XRTA',
  },
};

// In the General topic the message has no is_topic_message and no thread id.
const forumGeneralMessage: Update = {
  update_id: 104,
  message: {
    message_id: 78,
    from: alice,
    chat: { id: -1002223334445, type: 'supergroup', title: 'Engineering', is_forum: true },
    date: 1_700_000_031,
    text: '/start@build_bot K7QFM3XRTA',
  },
};

// A reply in an ordinary supergroup carries message_thread_id but is no topic.
const replyThreadMessage: Update = {
  update_id: 105,
  message: {
    message_id: 90,
    message_thread_id: 88,
    from: alice,
    chat: { id: -1001987654321, type: 'supergroup', title: 'Platform' },
    date: 1_700_000_040,
    text: 'see above',
  },
};

const channelPost: Update = {
  update_id: 106,
  channel_post: {
    message_id: 5,
    sender_chat: { id: -1003334445556, type: 'channel', title: 'Deploys' },
    chat: { id: -1003334445556, type: 'channel', title: 'Deploys' },
    date: 1_700_000_050,
    text: 'K7QFM3XRTA',
  },
};

const botAddedToGroup: Update = {
  update_id: 97,
  my_chat_member: {
    chat: { id: -4099990000, type: 'group', title: 'New team' },
    from: alice,
    date: 1_700_000_060,
    old_chat_member: { user: bot, status: 'left' },
    new_chat_member: { user: bot, status: 'member' },
  },
};

const botRemovedFromGroup: Update = {
  update_id: 108,
  my_chat_member: {
    chat: { id: -4099990000, type: 'group', title: 'New team' },
    from: alice,
    date: 1_700_000_070,
    old_chat_member: { user: bot, status: 'member' },
    new_chat_member: { user: bot, status: 'left' },
  },
};

const strangerHello: Update = {
  update_id: 99,
  message: {
    message_id: 1,
    from: stranger,
    chat: { id: 5559999, type: 'private', first_name: 'Mallory' },
    date: 1_700_000_001,
    text: '/start',
  },
};

const editedMessage: Update = {
  update_id: 110,
  edited_message: {
    message_id: 20,
    from: alice,
    chat: { id: -4012345678, type: 'group', title: 'Release crew' },
    date: 1_700_000_010,
    text: '/start@build_bot K7QFM3XRTA',
  },
};

const editedChannelPost: Update = {
  update_id: 111,
  edited_channel_post: {
    message_id: 5,
    chat: { id: -1003334445556, type: 'channel', title: 'Deploys' },
    date: 1_700_000_050,
    text: 'K7QFM3XRTA',
  },
};

const migratedAway: Update = {
  update_id: 112,
  message: {
    message_id: 21,
    from: alice,
    chat: { id: -4012345678, type: 'group', title: 'Release crew' },
    date: 1_700_000_080,
    migrate_to_chat_id: -1004012345678,
  },
};

describe('candidateFromUpdate', () => {
  test('a private chat is the person’s chat, named after them', () => {
    const c = candidateFromUpdate(privateStart);
    assert.deepEqual(
      { id: c?.chatId, type: c?.type, title: c?.title, topic: c?.topicId },
      { id: 5551001, type: 'private', title: 'Alice', topic: undefined },
    );
  });

  test('a group message yields the group’s chat.id, never the member’s from.id', () => {
    const c = candidateFromUpdate(groupCommand);
    assert.equal(c?.chatId, -4012345678);
    assert.notEqual(c?.chatId, alice.id);
    assert.equal(c?.type, 'group');
    assert.equal(c?.title, 'Release crew');
    assert.match(c?.sender ?? '', /Alice/);
  });

  test('a supergroup keeps its -100 id and public username', () => {
    const c = candidateFromUpdate(supergroupMessage);
    assert.equal(c?.chatId, -1001987654321);
    assert.equal(c?.username, 'platform_chat');
  });

  test('a forum topic message keeps its thread id and the topic’s name', () => {
    const c = candidateFromUpdate(forumTopicMessage);
    assert.equal(c?.topicId, 42);
    assert.equal(c?.topicName, 'CI alerts');
    assert.equal(describeCandidate(c!), 'Engineering (supergroup, topic "CI alerts")');
  });

  test('the General topic of a forum takes no thread id', () => {
    assert.equal(candidateFromUpdate(forumGeneralMessage)?.topicId, undefined);
  });

  test('a reply thread in an ordinary supergroup is not taken for a topic', () => {
    assert.equal(candidateFromUpdate(replyThreadMessage)?.topicId, undefined);
  });

  test('a channel post yields the channel, although it has no sender', () => {
    const c = candidateFromUpdate(channelPost);
    assert.deepEqual([c?.chatId, c?.type, c?.source], [-1003334445556, 'channel', 'channel_post']);
  });

  test("a photo's caption carries the code like a text does", () => {
    const post = { ...channelPost.channel_post!, caption: 'deploy screenshot K7QFM3XRTA' };
    delete post.text;
    const c = candidateFromUpdate({ update_id: 107, channel_post: post });
    assert.equal(c?.text, 'deploy screenshot K7QFM3XRTA');
  });

  test('a bot just added to a group is offered, with who added it', () => {
    const c = candidateFromUpdate(botAddedToGroup);
    assert.deepEqual([c?.chatId, c?.source], [-4099990000, 'my_chat_member']);
    assert.equal(c?.text, undefined);
    assert.match(c?.sender ?? '', /alice_dev/);
  });

  test('a bot removed from a group is not offered', () => {
    assert.equal(candidateFromUpdate(botRemovedFromGroup), undefined);
  });

  test('edited messages and edited channel posts still name their chat', () => {
    assert.equal(candidateFromUpdate(editedMessage)?.chatId, -4012345678);
    assert.equal(candidateFromUpdate(editedMessage)?.source, 'edited_message');
    assert.equal(candidateFromUpdate(editedChannelPost)?.chatId, -1003334445556);
  });

  test('the old group’s "migrated to" notice is no chat to pin', () => {
    assert.equal(candidateFromUpdate(migratedAway), undefined);
  });

  test('an update of a kind without a chat yields nothing', () => {
    assert.equal(candidateFromUpdate({ update_id: 1 }), undefined);
  });
});

describe('candidatesFromUpdates', () => {
  test('lists each chat and topic once, newest first, with its latest sighting', () => {
    const list = candidatesFromUpdates([
      groupCommand,
      forumTopicMessage,
      forumGeneralMessage,
      editedMessage,
      botRemovedFromGroup,
    ]);
    assert.deepEqual(
      list.map((c) => [c.chatId, c.topicId, c.updateId]),
      [
        [-4012345678, undefined, 110],
        [-1002223334445, undefined, 104],
        [-1002223334445, 42, 103],
      ],
    );
  });
});

function handshake(code = 'K7QFM3XRTA', now = () => 0, ttlMs = 60_000) {
  return new Handshake({ botUsername: 'build_bot', ttlMs, now, code });
}

describe('Handshake', () => {
  test('fresh codes are 10 unambiguous characters and differ each time', () => {
    const codes = new Set(Array.from({ length: 200 }, newHandshakeCode));
    assert.equal(codes.size, 200);
    for (const code of codes) assert.match(code, /^[A-HJKMNP-Z2-9]{10}$/);
  });

  test('gives a t.me start link, a group command and the bare code for a channel', () => {
    assert.deepEqual(handshake().instructions(), {
      privateLink: 'https://t.me/build_bot?start=K7QFM3XRTA',
      groupCommand: '/start@build_bot K7QFM3XRTA',
      channelText: 'K7QFM3XRTA',
    });
  });

  test('recognises the code from every kind of chat that can carry text', () => {
    for (const update of [
      privateStart,
      groupCommand,
      supergroupMessage,
      forumTopicMessage,
      channelPost,
    ]) {
      assert.ok(handshake().claim(candidateFromUpdate(update)!), `update ${update.update_id}`);
    }
  });

  test('a message without the code, or a bot added without a word, claims nothing', () => {
    const h = handshake();
    assert.equal(h.claim(candidateFromUpdate(strangerHello)!), false);
    assert.equal(h.claim(candidateFromUpdate(botAddedToGroup)!), false);
    assert.equal(h.isClaimed(), false);
  });

  test('the code is single-use', () => {
    const h = handshake();
    assert.ok(h.claim(candidateFromUpdate(privateStart)!));
    assert.equal(h.claim(candidateFromUpdate(groupCommand)!), false);
  });

  test('an expired code claims nothing', () => {
    let now = 0;
    const h = handshake('K7QFM3XRTA', () => now, 1000);
    now = 1000;
    assert.ok(h.isExpired());
    assert.equal(h.claim(candidateFromUpdate(privateStart)!), false);
  });

  test('the code must stand alone: inside a longer word it does not count', () => {
    const h = handshake();
    assert.equal(h.matches('xK7QFM3XRTA'), false);
    assert.equal(h.matches('K7QFM3XRTA2'), false);
    assert.ok(h.matches('https://t.me/build_bot?start=K7QFM3XRTA'));
    assert.ok(h.matches('/start k7qfm3xrta'));
  });

  test('a command addressed to another bot does not count', () => {
    assert.equal(handshake().matches('/start@other_bot K7QFM3XRTA'), false);
    assert.ok(handshake().matches('/start@Build_Bot K7QFM3XRTA'));
    // Regression: only a command at the very start was checked.
    assert.equal(handshake().matches('\u200b/start@other_bot K7QFM3XRTA'), false);
    assert.equal(handshake().matches('hi /start@other_bot K7QFM3XRTA'), false);
  });

  test('refuses a caller-chosen code that is short or not link-safe', () => {
    assert.throws(() => handshake('abc'), HandshakeCodeError);
    assert.throws(() => handshake('has spaces in it'), HandshakeCodeError);
    assert.equal(handshake('test-code_123').code, 'test-code_123');
  });
});

/** Hands out prepared batches, then empty long polls; records the offsets asked for. */
function scriptedSource(
  batches: Array<Update[] | Error>,
  onEmpty?: () => void,
): UpdateSource & {
  offsets: Array<number | undefined>;
} {
  const offsets: Array<number | undefined> = [];
  return {
    offsets,
    async getUpdates(params) {
      offsets.push(params.offset);
      const next = batches.shift();
      if (next instanceof Error) throw next;
      if (!next) onEmpty?.();
      return next ?? [];
    },
  };
}

describe('discoverChat', () => {
  test('a stranger’s message arriving first is passed over; the chat with the code wins', async () => {
    const source = scriptedSource([[botAddedToGroup, strangerHello], [groupCommand]]);
    const seenLists: number[][] = [];
    const outcome = await discoverChat({
      source,
      handshake: handshake(),
      onSeen: (seen) => seenLists.push(seen.map((c) => c.chatId)),
      log: memoryLogger(),
    });

    assert.equal(outcome.kind, 'handshake');
    assert.equal(outcome.kind === 'handshake' && outcome.chat.chatId, -4012345678);
    assert.deepEqual(source.offsets, [undefined, 100, 102]);
    assert.deepEqual(seenLists, [[5559999, -4099990000]]);
    assert.deepEqual(
      outcome.seen.map((c) => c.chatId),
      [5559999, -4099990000],
    );
  });

  test('a chat the caller chose is taken when it shows up, without a code', async () => {
    const source = scriptedSource([[strangerHello, botAddedToGroup]]);
    const outcome = await discoverChat({
      source,
      handshake: handshake(),
      chosen: (c) => c.chatId === -4099990000,
      log: memoryLogger(),
    });
    assert.equal(outcome.kind, 'chosen');
    assert.equal(outcome.kind === 'chosen' && outcome.chat.source, 'my_chat_member');
  });

  test('stops when the code expires, saying whether anything arrived', async () => {
    let now = 0;
    const source = scriptedSource([], () => (now += 30_000));
    const outcome = await discoverChat({
      source,
      handshake: handshake('K7QFM3XRTA', () => now, 60_000),
      log: memoryLogger(),
    });
    assert.deepEqual(outcome, { kind: 'expired', seen: [], updates: 0 });
    assert.equal(source.offsets.length, 2);
  });

  test('cancelling ends the wait with nothing chosen', async () => {
    const controller = new AbortController();
    const source = scriptedSource([], () => controller.abort());
    const outcome = await discoverChat({
      source,
      handshake: handshake(),
      signal: controller.signal,
      log: memoryLogger(),
    });
    assert.equal(outcome.kind, 'cancelled');
  });

  test('an aborted long poll counts as a cancel, not a failure', async () => {
    const source = scriptedSource([new TelegramTransportError('getUpdates', 'aborted', 'x')]);
    const outcome = await discoverChat({ source, handshake: handshake(), log: memoryLogger() });
    assert.equal(outcome.kind, 'cancelled');
  });

  test('Bot API refusals (409 webhook, rival poller, 401) reach the caller unchanged', async () => {
    const conflict = new TelegramApiError(
      'getUpdates',
      409,
      'Conflict: terminated by other getUpdates request; make sure that only one bot instance is running',
    );
    const source = scriptedSource([[strangerHello], conflict]);
    await assert.rejects(
      discoverChat({ source, handshake: handshake(), log: memoryLogger() }),
      (err) => err === conflict,
    );
  });

  test('never waits past the code’s expiry in one long poll', async () => {
    let now = 0;
    const timeouts: number[] = [];
    const source: UpdateSource = {
      async getUpdates(params) {
        timeouts.push(params.timeout ?? -1);
        now += (params.timeout ?? 0) * 1000;
        return [];
      },
    };
    await discoverChat({
      source,
      handshake: handshake('K7QFM3XRTA', () => now, 32_500),
      pollSeconds: 25,
      log: memoryLogger(),
    });
    assert.deepEqual(timeouts, [25, 8]);
  });
});
