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
