// Bad input everywhere gets a message that says what is wrong and what to do, and never
// repeats a secret; nothing the user gave is lost on the way (a long output is cut to fit,
// keeping its end).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { AppriseUrlError, parseAppriseUrl } from '../../src/core/apprise';
import { BotApiClient } from '../../src/core/bot-api';
import { parsePinnedChats } from '../../src/core/chats';
import { ChatReferenceError, parseChatReference } from '../../src/core/discovery/chat-ref';
import { TelegramTransportError } from '../../src/core/errors';
import { explainFailure } from '../../src/core/explain';
import { MAX_MESSAGE_LENGTH, renderRun } from '../../src/core/render';
import { TokenFormatError, parseToken } from '../../src/core/token';
import type { HttpTransport } from '../../src/core/transport';
import { finishMessageText, parseMessageText } from '../emulator/parse-check';

const SECRET = 'AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw9';
const TOKEN = `6012345678:${SECRET}`;

function tokenProblem(input: string): TokenFormatError {
  try {
    parseToken(input);
  } catch (err) {
    assert.ok(err instanceof TokenFormatError);
    assert.ok(!err.message.includes(SECRET.slice(0, 10)), 'the message repeats the input');
    return err;
  }
  assert.fail(`accepted ${JSON.stringify(input)}`);
}

describe('bad tokens', () => {
  test('a token with spaces, line breaks, quotes or a bot prefix is cleaned, not refused', () => {
    for (const paste of [` ${TOKEN} `, `bot${TOKEN}`, `"${TOKEN}"`, `6012345678 : ${SECRET}\n`]) {
      assert.equal(parseToken(paste).token, TOKEN);
    }
  });

  test('another service’s key is named as such', () => {
    const keys: Array<[string, RegExp]> = [
      [`xoxb-1234-5678-${SECRET}`, /Slack token/],
      [`https://discord.com/api/webhooks/123/${SECRET}`, /Discord webhook URL/],
      [`ghp_${SECRET}`, /GitHub token/],
      [`sk-${SECRET}`, /another service/],
      ['AKIAIOSFODNN7EXAMPLE', /AWS access key/],
      [`glpat-${SECRET.slice(0, 20)}`, /GitLab token/],
    ];
    for (const [key, named] of keys) {
      const err = tokenProblem(key);
      assert.equal(err.problem, 'other-service');
      assert.match(err.message, named);
      assert.match(err.message, /@BotFather/);
    }
  });

  test('a missing colon, a wrong id, wrong characters and a wrong length each say so', () => {
    assert.equal(tokenProblem(`6012345678${SECRET}`).problem, 'missing-colon');
    assert.equal(tokenProblem(`mybot:${SECRET}`).problem, 'bad-bot-id');
    assert.equal(tokenProblem(`6012345678:${SECRET.slice(0, 30)}é!`).problem, 'bad-characters');
    const short = tokenProblem(`6012345678:${SECRET.slice(0, 30)}`);
    assert.equal(short.problem, 'bad-secret-length');
    assert.match(short.message, /35 characters, this one has 30/);
  });
});

describe('bad chat ids', () => {
  test('text that is not a number or an @name is refused with the forms that work', () => {
    assert.throws(
      () => parseChatReference('my group'),
      /not a chat id, an @channelname or a t\.me link/,
    );
    assert.throws(() => parseChatReference('12ab34'), ChatReferenceError);
  });

  test('an id beyond the Bot API’s range says why', () => {
    assert.throws(() => parseChatReference('-10012345678901234567'), /at most 16 digits/);
    assert.throws(() => parseChatReference('9007199254740993'), /at most 16 digits/);
    assert.throws(() => parseChatReference('0'), /no chat has the id 0/);
    assert.equal(parseChatReference('-1002147483648').chatId, -1002147483648);
  });

  test('a typographic minus sign counts as a minus', () => {
    assert.equal(parseChatReference('\u22121001234567890').chatId, -1001234567890);
  });

  test('pinned chats in settings with unusable ids are skipped and each one is named', () => {
    const { chats, problems } = parsePinnedChats([
      { id: -1001234567890 },
      { id: 'team chat' },
      { id: 2 ** 60 },
      { title: 'no id' },
    ]);
    assert.deepEqual(chats, [{ id: -1001234567890 }]);
    assert.deepEqual(
      problems.map((p) => p.slice(0, 8)),
      ['entry 2 ', 'entry 3 ', 'entry 4 '],
    );
  });
});

describe('bad Apprise URLs', () => {
  test('each malformed part is named without repeating the token', () => {
    const cases: Array<[string, RegExp]> = [
      [`tgram://${TOKEN}/my group/`, /is not a chat/],
      [`tgram://${TOKEN}/-100123/?format=rtf`, /format=rtf is not one of/],
      [`tgram://${TOKEN}/-100123/?silent=maybe`, /silent=maybe is not yes or no/],
      [`tgram://${TOKEN}/-100123/?topic=-4`, /not a topic id/],
      [`tgram://${TOKEN}/%E0%A4%A/`, /broken %-escape/],
      [`tgram://6012345678:${SECRET.slice(0, 20)}/1/`, /token in the URL is not valid/],
      [`telegram://${TOKEN}@telegram?chats=1`, /Shoutrrr/],
      ['https://example.com', /not an Apprise Telegram URL/],
    ];
    for (const [url, message] of cases) {
      assert.throws(
        () => parseAppriseUrl(url),
        (err: Error) =>
          err instanceof AppriseUrlError &&
          message.test(err.message) &&
          !err.message.includes(SECRET.slice(0, 10)),
        url.replace(SECRET, '…'),
      );
    }
  });
});

describe('bad templates and enormous output', () => {
  const run = {
    kind: 'task' as const,
    name: 'build',
    exitCode: 1,
    durationMs: 5_000,
    endedAt: 0,
  };

  test('a template with unknown variables is reported, naming them', () => {
    const message = renderRun(run, {
      format: 'html',
      template: '{{icon}} {{nmae}} {{verdict}} {{exit}}',
    });
    assert.deepEqual(message.problems, ['unknown template variables: nmae, exit']);
  });

  test('20 MB of output fits one message that keeps the verdict and the last line', () => {
    const lines = Array.from({ length: 400_000 }, (_, i) => `line ${i} <&> ${'x'.repeat(40)}`);
    lines.push('FATAL: the very last line');
    for (const format of ['html', 'markdown', 'text'] as const) {
      const started = Date.now();
      const message = renderRun({ ...run, outputTail: lines.join('\n') }, { format });
      const parsed = finishMessageText(
        parseMessageText(message.text, message.parseMode, { strictAmpersand: true }),
      );
      assert.ok(parsed.text.length <= MAX_MESSAGE_LENGTH, `${format}: ${parsed.text.length}`);
      assert.match(parsed.text, /build/);
      assert.match(parsed.text, /FATAL: the very last line/);
      assert.ok(Date.now() - started < 2_000, `${format} took ${Date.now() - started} ms`);
    }
  });
});

describe('bad addresses and replies', () => {
  const neverCalled: HttpTransport = {
    postJson: () => assert.fail('a request was made to an invalid address'),
    close: async () => undefined,
  };

  test('an apiBaseUrl that is not a web address is named, and nothing is sent', async () => {
    for (const baseUrl of ['api.telegram.org', 'ftp://api.telegram.org', 'http://exa mple']) {
      const client = new BotApiClient({ token: TOKEN, baseUrl, transport: neverCalled });
      const err = await client.getMe().catch((e: unknown) => e);
      assert.ok(err instanceof TelegramTransportError);
      assert.match(
        explainFailure(err, { baseUrl }),
        /telegramNotifier\.apiBaseUrl is not a web address/,
      );
    }
  });

  test('a reply that is not JSON, or cut short, is told apart from an outage', async () => {
    for (const body of ['<html>502 Bad Gateway</html>', '{"ok":true,"result":{"id":1,"is_b', '']) {
      const transport: HttpTransport = {
        postJson: async () => ({ status: 200, body }),
        close: async () => undefined,
      };
      const client = new BotApiClient({
        token: TOKEN,
        baseUrl: 'https://api.telegram.org',
        transport,
      });
      const err = await client.getMe().catch((e: unknown) => e);
      assert.ok(err instanceof TelegramTransportError && err.failure === 'bad-reply');
      assert.match(
        explainFailure(err, { baseUrl: 'https://api.telegram.org' }),
        /answered, but not as the Telegram Bot API does/,
      );
    }
  });
});

describe('the API address in messages', () => {
  test('a user:password in apiBaseUrl is masked where the address is shown', () => {
    const err = new TelegramTransportError('getMe', 'network', 'ECONNREFUSED');
    const text = explainFailure(err, { baseUrl: 'http://alice:s3cret@127.0.0.1:8081' });
    assert.ok(!text.includes('s3cret') && !text.includes('alice'), text);
    assert.match(text, /127\.0\.0\.1:8081/);
  });
});
