import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  ChatReferenceError,
  likelyMeantIds,
  parseChatReference,
} from '../../src/core/discovery/chat-ref';

describe('parseChatReference', () => {
  test('reads numeric ids of people, groups and supergroups', () => {
    assert.deepEqual(parseChatReference(' 123456789 '), { chatId: 123456789 });
    assert.deepEqual(parseChatReference('-4012345678'), { chatId: -4012345678 });
    assert.deepEqual(parseChatReference('-1001987654321'), { chatId: -1001987654321 });
  });

  test('accepts the typographic minus a phone keyboard may produce', () => {
    assert.deepEqual(parseChatReference('\u22121001987654321'), { chatId: -1001987654321 });
  });

  test('reads @names and public t.me links', () => {
    assert.deepEqual(parseChatReference('@deploys_feed'), { chatId: '@deploys_feed' });
    assert.deepEqual(parseChatReference('https://t.me/deploys_feed'), { chatId: '@deploys_feed' });
    assert.deepEqual(parseChatReference('t.me/s/deploys_feed'), { chatId: '@deploys_feed' });
    assert.deepEqual(parseChatReference('https://t.me/deploys_feed/812'), {
      chatId: '@deploys_feed',
      threadOrMessage: 812,
    });
  });

  test('turns a private t.me/c link into the -100 id, with its topic when certain', () => {
    assert.deepEqual(parseChatReference('https://t.me/c/1987654321'), { chatId: -1001987654321 });
    assert.deepEqual(parseChatReference('https://t.me/c/1987654321/42/977'), {
      chatId: -1001987654321,
      topicId: 42,
    });
    assert.deepEqual(parseChatReference('https://t.me/c/1987654321/977?thread=42'), {
      chatId: -1001987654321,
      topicId: 42,
    });
    assert.deepEqual(parseChatReference('t.me/c/1987654321/42'), {
      chatId: -1001987654321,
      threadOrMessage: 42,
    });
  });

  test('reads the id in a Telegram Web address', () => {
    assert.deepEqual(parseChatReference('https://web.telegram.org/a/#-1001987654321'), {
      chatId: -1001987654321,
    });
  });

  test('explains the usual mistakes', () => {
    const fails = (input: string, why: RegExp) =>
      assert.throws(
        () => parseChatReference(input),
        (err: Error) => {
          assert.ok(err instanceof ChatReferenceError);
          assert.match(err.message, why);
          return true;
        },
      );
    fails('', /Type a chat id/);
    fails('deploys_feed', /type @deploys_feed/);
    fails('https://t.me/+AbCdEf123', /invite link/);
    fails('https://t.me/joinchat/AbCdEf123', /invite link/);
    fails('@ab', /cannot be a public chat name/);
    fails('0', /cannot be a Telegram chat id/);
    fails('12345678901234567890', /cannot be a Telegram chat id/);
    // Regression: a t.me/c link's number was not range-checked and came out as -1.01e+22.
    fails('https://t.me/c/99999999999999999999/1', /cannot be a Telegram chat id/);
    fails('not a chat!', /Group ids are negative/);
  });
});

describe('likelyMeantIds', () => {
  test('suggests the minus sign, and the -100 prefix, for a positive id Telegram does not know', () => {
    assert.deepEqual(likelyMeantIds(4012345678), [-4012345678, -1004012345678]);
  });

  test('a positive id that already starts with 100 only lacks its minus sign', () => {
    assert.deepEqual(likelyMeantIds(1001987654321), [-1001987654321]);
  });

  test('has nothing to suggest for negative ids and names', () => {
    assert.deepEqual(likelyMeantIds(-4012345678), []);
    assert.deepEqual(likelyMeantIds('@deploys_feed'), []);
  });
});
