// Property tests for redaction: random text with tokens embedded in every way they travel
// (bare, after `bot` in a URL path, with the colon %-encoded, inside JSON) never keeps a
// token's secret, and keeps the bot id.
//
// Property runs use a fixed seed; set FC_RUNS (e.g. FC_RUNS=20000) for a longer search and
// FC_SEED to replay a failure fast-check reported.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { describeError, redact } from '../../src/core/redact';

const fcParams = {
  seed: Number(process.env.FC_SEED ?? 4242),
  numRuns: Number(process.env.FC_RUNS ?? 300),
};

const SECRET_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-'.split('');

/** A token as @BotFather hands them out: a bot id, a colon, 35 secret characters. */
const token = fc.record({
  botId: fc.bigInt({ min: 10_000n, max: 99_999_999_999n }).map(String),
  secret: fc
    .array(fc.constantFrom(...SECRET_CHARS), { minLength: 35, maxLength: 35 })
    .map((cs) => cs.join('')),
});

/** The ways a token shows up in text that is about to leave the process. */
const embedding = fc.constantFrom(
  (id: string, secret: string) => `${id}:${secret}`,
  (id: string, secret: string) => `https://api.telegram.org/bot${id}:${secret}/sendMessage`,
  (id: string, secret: string) => `POST /bot${id}:${secret}/getUpdates HTTP/1.1`,
  (id: string, secret: string) => `tgram://${id}%3A${secret}/-100123/`,
  (id: string, secret: string) => `tgram://${id}%3a${secret}/`,
  (id: string, secret: string) => JSON.stringify({ url: `/bot${id}:${secret}/getMe` }),
);

describe('redaction, on random text', () => {
  test('no token embedded anywhere in random text survives', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.string(), token, embedding)), fc.string(), (parts, tail) => {
        const text =
          parts.map(([before, t, embed]) => before + embed(t.botId, t.secret)).join('') + tail;
        const out = redact(text);
        for (const [, t] of parts) {
          assert.ok(!out.includes(t.secret), `secret survived in ${JSON.stringify(out)}`);
          assert.ok(out.includes(t.botId), 'the bot id was lost');
        }
      }),
      fcParams,
    );
  });

  test('an error carrying a token in its message or cause is described without it', () => {
    fc.assert(
      fc.property(fc.string(), token, embedding, (before, t, embed) => {
        const leaky = `${before}${embed(t.botId, t.secret)}`;
        const err = new Error(leaky, { cause: new Error(leaky) });
        assert.ok(!describeError(err).includes(t.secret));
        assert.ok(!describeError(leaky).includes(t.secret));
      }),
      fcParams,
    );
  });

  test('a known secret is removed even when it has no token shape', () => {
    fc.assert(
      fc.property(fc.string(), fc.string({ minLength: 8 }), fc.string(), (a, secret, b) => {
        assert.ok(!redact(`${a}${secret}${b}`, [secret]).includes(secret));
      }),
      fcParams,
    );
  });
});
