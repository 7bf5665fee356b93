// Property tests for the update parser: random updates, well-formed and not, never make it
// throw, and a chat it offers is always the update's chat.id, never the sender's from.id.
//
// Property runs use a fixed seed; set FC_RUNS (e.g. FC_RUNS=20000) for a longer search and
// FC_SEED to replay a failure fast-check reported.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { candidateFromUpdate, candidatesFromUpdates } from '../../src/core/discovery/candidates';
import type { Update } from '../../src/core/telegram-types';

const fcParams = {
  seed: Number(process.env.FC_SEED ?? 4242),
  numRuns: Number(process.env.FC_RUNS ?? 300),
};

const MESSAGE_FIELDS = [
  'message',
  'edited_message',
  'channel_post',
  'edited_channel_post',
] as const;

/** Ids as Telegram hands them out: users positive, groups negative, supergroups -100…. */
const userId = fc.integer({ min: 1, max: 2 ** 40 });
const chatId = fc.oneof(
  userId,
  fc.integer({ min: -(2 ** 40), max: -1 }),
  fc.integer({ min: 1, max: 2 ** 36 }).map((n) => -Number(`100${n}`)),
);
const user = fc.record(
  {
    id: userId,
    is_bot: fc.boolean(),
    first_name: fc.string(),
    last_name: fc.string(),
    username: fc.string(),
  },
  { requiredKeys: ['id', 'is_bot', 'first_name'] },
);
const chat = fc.record(
  {
    id: chatId,
    type: fc.constantFrom('private', 'group', 'supergroup', 'channel'),
    title: fc.string(),
    username: fc.string(),
    first_name: fc.string(),
    is_forum: fc.boolean(),
  },
  { requiredKeys: ['id', 'type'] },
);
const message = fc.record(
  {
    message_id: fc.nat(),
    message_thread_id: fc.integer({ min: 1, max: 10_000 }),
    from: user,
    sender_chat: chat,
    date: fc.nat(),
    chat,
    text: fc.string(),
    is_topic_message: fc.boolean(),
    migrate_to_chat_id: chatId,
    forum_topic_created: fc.record({ name: fc.string() }),
  },
  { requiredKeys: ['message_id', 'date', 'chat'] },
);
const status = fc.constantFrom(
  'creator',
  'administrator',
  'member',
  'restricted',
  'left',
  'kicked',
);
const memberUpdate = fc.record({
  chat,
  from: user,
  date: fc.nat(),
  old_chat_member: fc.record({ status, user }),
  new_chat_member: fc.record({ status, user }),
});
/** An update as the Bot API could send it, with any mix of the fields we read. */
const update = fc.record(
  {
    update_id: fc.nat(),
    message,
    edited_message: message,
    channel_post: message,
    edited_channel_post: message,
    my_chat_member: memberUpdate,
  },
  { requiredKeys: ['update_id'] },
) as fc.Arbitrary<Update>;

/** Anything at all where an update or one of its parts should be. */
const garbage = fc.oneof(
  fc.jsonValue(),
  update.map((u) => ({ ...u, message: { chat: null } })),
  update.map((u) => ({ ...u, channel_post: { date: 1, chat: { id: 'x' } } })),
  update.map((u) => ({ ...u, my_chat_member: { chat: 5, new_chat_member: null } })),
  fc.record({ update_id: fc.nat(), message: fc.jsonValue() }),
  fc.record({ update_id: fc.nat(), my_chat_member: fc.jsonValue() }),
);

/** The chat the update is about: the first message field present, else my_chat_member. */
function expectedChat(u: Update) {
  for (const field of MESSAGE_FIELDS) if (u[field]) return u[field].chat;
  return u.my_chat_member?.chat;
}

describe('the update parser, on random updates', () => {
  test('offers the update’s chat.id, never the sender’s from.id', () => {
    fc.assert(
      fc.property(update, (u) => {
        const candidate = candidateFromUpdate(u);
        if (!candidate) return;
        const chat = expectedChat(u)!;
        assert.equal(candidate.chatId, chat.id);
        assert.equal(candidate.type, chat.type);
        const field = MESSAGE_FIELDS.find((f) => u[f]);
        const from = field ? u[field]!.from : u.my_chat_member?.from;
        if (from && from.id !== chat.id) assert.notEqual(candidate.chatId, from.id);
      }),
      fcParams,
    );
  });

  test('names a topic only for a message that is a topic message', () => {
    fc.assert(
      fc.property(update, (u) => {
        const candidate = candidateFromUpdate(u);
        if (candidate?.topicId === undefined) return;
        const field = MESSAGE_FIELDS.find((f) => u[f])!;
        assert.equal(u[field]!.is_topic_message, true);
        assert.equal(candidate.topicId, u[field]!.message_thread_id);
      }),
      fcParams,
    );
  });

  test('offers nothing for a bot that left or was removed, or for a migrated group', () => {
    fc.assert(
      fc.property(update, (u) => {
        const candidate = candidateFromUpdate(u);
        const field = MESSAGE_FIELDS.find((f) => u[f]);
        if (field && u[field]!.migrate_to_chat_id !== undefined) assert.equal(candidate, undefined);
        const gone = ['left', 'kicked'].includes(u.my_chat_member?.new_chat_member.status ?? '');
        if (!field && gone) assert.equal(candidate, undefined);
      }),
      fcParams,
    );
  });

  test('never throws, whatever JSON arrives in place of an update', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(update, garbage)), (batch) => {
        const candidates = candidatesFromUpdates(batch as Update[]);
        for (const c of candidates) assert.ok(Number.isSafeInteger(c.chatId));
      }),
      fcParams,
    );
  });
});
