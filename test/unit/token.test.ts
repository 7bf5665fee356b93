import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { botIdOf, parseToken, TokenFormatError } from '../../src/core/token';

const SECRET = 'AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw9';
const TOKEN = `123456789:${SECRET}`;

function problemOf(input: string): string {
  try {
    parseToken(input);
    return 'none';
  } catch (err) {
    assert.ok(err instanceof TokenFormatError);
    assert.ok(!err.message.includes(SECRET), 'the message must not repeat the secret');
    return err.problem;
  }
}

describe('parseToken', () => {
  test('accepts a token as @BotFather prints it', () => {
    assert.deepEqual(parseToken(TOKEN), { token: TOKEN, botId: '123456789' });
  });

  test('cleans spaces, line breaks, quotes and a bot prefix from a pasted token', () => {
    for (const pasted of [` ${TOKEN}\n`, `"${TOKEN}"`, `bot${TOKEN}`, `123456789: ${SECRET}`]) {
      assert.equal(parseToken(pasted).token, TOKEN, JSON.stringify(pasted));
    }
  });

  test('takes the token out of a whole Bot API URL', () => {
    const url = `https://api.telegram.org/bot${TOKEN}/getMe`;
    assert.equal(parseToken(url).token, TOKEN);
  });

  test('names what is wrong with a malformed token', () => {
    assert.equal(problemOf(''), 'empty');
    assert.equal(problemOf('   '), 'empty');
    assert.equal(problemOf(SECRET), 'missing-colon');
    assert.equal(problemOf(`abc:${SECRET}`), 'bad-bot-id');
    assert.equal(problemOf(`123456789:${SECRET.slice(0, 20)}`), 'bad-secret-length');
    assert.equal(problemOf(`123456789:${SECRET.slice(0, 34)}!`), 'bad-characters');
    // Another service's key is named as such (test/unit/bad-input.test.ts checks the wording).
    assert.equal(problemOf('sk-proj-abcdefghijklmnopqrstuvwxyz0123456789'), 'other-service');
  });

  test('botIdOf reads the id without validating the rest', () => {
    assert.equal(botIdOf(TOKEN), '123456789');
    assert.equal(botIdOf('nonsense'), undefined);
  });
});
