import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { TelegramApiError, TelegramTransportError } from '../../src/core/errors';
import type { QueuedMessage } from '../../src/core/outbox';
import { composeBatch } from '../../src/core/queue';
import { RateLimiter, TELEGRAM_RATE_LIMITS } from '../../src/core/rate-limit';
import { MAX_MESSAGE_LENGTH } from '../../src/core/render';
import { backoff, decideRetry } from '../../src/core/retry';

const item = (i: number): QueuedMessage => ({
  id: `m${i}`,
  chat: { id: -100123 },
  message: {
    text: `✅ Task <b>job-${i} &amp; more</b> succeeded\n<pre>${'x'.repeat(500)}</pre>`,
    parseMode: 'HTML',
    summary: `✅ Task <b>job-${i} &amp; more</b> succeeded`,
  },
  queuedAt: 0,
});

describe('retry policy', () => {
  test('network failures back off 1, 2, 4 … seconds up to five minutes', () => {
    assert.deepEqual(
      [1, 2, 3, 4].map((n) => backoff(n)),
      [1_000, 2_000, 4_000, 8_000],
    );
    assert.equal(backoff(40), 5 * 60_000);
  });

  test('a 429 waits retry_after, and a very long one is capped and flagged', () => {
    const short = new TelegramApiError('sendMessage', 429, 'Too Many Requests', { retry_after: 3 });
    assert.deepEqual(decideRetry(short, 1, false), {
      action: 'retry',
      delayMs: 3_000,
      condition: 'rate-limited',
      long: false,
    });
    const long = new TelegramApiError('sendMessage', 429, 'Too Many Requests', {
      retry_after: 86_400,
    });
    assert.deepEqual(decideRetry(long, 1, false), {
      action: 'retry',
      delayMs: 10 * 60_000,
      condition: 'rate-limited',
      long: true,
    });
  });

  test('other 4xx answers are never retried', () => {
    const tooLong = new TelegramApiError('sendMessage', 400, 'Bad Request: message is too long');
    assert.equal(decideRetry(tooLong, 1, false).action, 'drop');
    const parse = new TelegramApiError('sendMessage', 400, "Bad Request: can't parse entities");
    assert.equal(decideRetry(parse, 1, false).action, 'plain-text');
    assert.equal(decideRetry(parse, 1, true).action, 'drop');
    const revoked = new TelegramApiError('sendMessage', 401, 'Unauthorized');
    assert.deepEqual(decideRetry(revoked, 1, false), {
      action: 'hold',
      scope: 'bot',
      condition: 'token-rejected',
    });
  });

  test('a reply that is not the Bot API is retried like an outage', () => {
    const html = new TelegramTransportError('sendMessage', 'bad-reply', 'HTTP 502', 502);
    assert.deepEqual(decideRetry(html, 2, false), {
      action: 'retry',
      delayMs: 2_000,
      condition: 'bad-reply',
      long: false,
    });
  });
});

describe('retry policy on a broken server', () => {
  // Regression: a retry_after of "abc" made the wait NaN ("next attempt in NaN s").
  test('a retry_after that is not a number waits one second', () => {
    for (const retryAfter of ['abc', null, Number.NaN]) {
      const err = new TelegramApiError('sendMessage', 429, 'Too Many Requests', {
        retry_after: retryAfter as unknown as number,
      });
      const decision = decideRetry(err, 1, false);
      assert.equal(decision.action, 'retry');
      assert.equal(decision.action === 'retry' && decision.delayMs, 1_000);
    }
  });
});

describe('digest', () => {
  test('merges waiting messages into one that fits Telegram and keeps each verdict line', () => {
    const items = Array.from({ length: 200 }, (_, i) => item(i));
    const first = composeBatch(items);
    assert.ok(first.message.text.length <= MAX_MESSAGE_LENGTH);
    assert.ok(first.ids.size > 1 && first.ids.size < 200);
    for (const id of first.ids) {
      const n = id.slice(1);
      assert.ok(first.message.text.includes(`job-${n} &amp; more</b> succeeded`), n);
    }
    assert.doesNotMatch(first.message.text, /<pre>/, 'output tails stay out of a digest');
  });

  test('a single waiting message goes out unchanged', () => {
    const only = item(1);
    const batch = composeBatch([only]);
    assert.equal(batch.message, only.message);
    assert.deepEqual([...batch.ids], ['m1']);
  });
});

describe('rate limiter', () => {
  test('allows a burst of three to a private chat, then one per second', () => {
    const limiter = new RateLimiter();
    const key = { bot: '', chat: '42', groupLike: false };
    assert.equal(limiter.room(key, 0), 3);
    for (let i = 0; i < 3; i++) limiter.take(key, 0);
    const wait = limiter.waitMs(key, 0);
    assert.ok(wait >= 1_000 && wait <= 1_002, String(wait));
  });

  test('a group gets a burst of 20, then one message every three seconds', () => {
    const perChat = { perSecond: 100, burst: 100 };
    const limiter = new RateLimiter({ ...TELEGRAM_RATE_LIMITS, perChat });
    const key = { bot: '', chat: '-100', groupLike: true };
    assert.equal(limiter.room(key, 0), 20);
    for (let i = 0; i < 20; i++) limiter.take(key, 0);
    const wait = limiter.waitMs(key, 0);
    assert.ok(wait >= 3_000 && wait <= 3_002, String(wait));
  });

  test('a send earns no refill while in flight, so a late arrival at Telegram is covered', () => {
    const limiter = new RateLimiter();
    const key = { bot: '', chat: '42', groupLike: false };
    // Sent at 0, replied at 150 ms; the next two go out and come back at once.
    limiter.take(key, 0);
    limiter.settle(key, 0, 150);
    for (const at of [150, 151]) {
      limiter.take(key, at);
      limiter.settle(key, at, at);
    }
    // Telegram may have counted the first at 150: its bucket has room again at 1151.
    const wait = limiter.waitMs(key, 151);
    assert.ok(wait >= 1_000 && wait <= 1_002, String(wait));
  });
});
