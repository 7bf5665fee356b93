import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { describeError, redact } from '../../src/core/redact';

const TOKEN = '123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw9';

describe('redact', () => {
  test('masks the secret part of a token and keeps the bot id', () => {
    assert.equal(redact(`token ${TOKEN} here`), 'token 123456789:*** here');
  });

  test('masks a token inside a Bot API URL path', () => {
    const text = `POST https://api.telegram.org/bot${TOKEN}/sendMessage failed`;
    assert.equal(redact(text), 'POST https://api.telegram.org/bot123456789:***/sendMessage failed');
  });

  test('masks a known secret even when it is not token-shaped', () => {
    assert.equal(redact('key=short-but-secret!', ['short-but-secret']), 'key=***!');
  });

  test('describeError redacts the message and the cause', () => {
    const err = new Error(`connect failed for ${TOKEN}`, { cause: new Error(`at /bot${TOKEN}/`) });
    const text = describeError(err);
    assert.ok(!text.includes('AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw9'), text);
    assert.match(text, /123456789:\*\*\*/);
  });
});

describe('redact on hostile input', () => {
  // Regression: an unanchored digit run made a 200 000-digit reply take ~50 s to scan,
  // blocking the extension host. The pattern is linear now; the timeout only guards a hang.
  test('a 200 000-digit reply is scanned without backtracking', { timeout: 10_000 }, () => {
    const digits = '7'.repeat(200_000);
    assert.equal(redact(digits), digits);
    const colons = '123:'.repeat(50_000);
    assert.equal(redact(colons), colons);
  });

  test('glued tokens each keep their bot id and lose their secret', () => {
    const second = '987654321:BBEhBP0av28Aj5hMbBw9xYuI_Vz4-Lq0aZ2';
    assert.equal(redact(`${TOKEN}${second}`), '123456789:***987654321:***');
  });
});
