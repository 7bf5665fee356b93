import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { AppriseUrlError, formatAppriseUrl, parseAppriseUrl } from '../../src/core/apprise';

const TOKEN = '123456789:AAEhBOweik6ad9r_QXMENkKw0MDcFIPkYzQ';
const SECRET = TOKEN.split(':')[1];

describe('parseAppriseUrl', () => {
  test('reads the token, chats with and without topics, and the options', () => {
    const setup = parseAppriseUrl(
      `tgram://${TOKEN}/-1001987654321:42/5551001/@deploys_feed/?format=html&silent=yes&preview=no`,
    );
    assert.equal(setup.token, TOKEN);
    assert.equal(setup.botId, '123456789');
    assert.deepEqual(setup.targets, [
      { chatId: -1001987654321, topicId: 42 },
      { chatId: 5551001 },
      { chatId: '@deploys_feed' },
    ]);
    assert.deepEqual([setup.format, setup.silent, setup.preview], ['html', true, false]);
    assert.deepEqual(setup.ignored, []);
  });

  test('accepts the forms Apprise accepts: bot prefix, %3A, bare names, to= and topic=', () => {
    const setup = parseAppriseUrl(
      `TGRAM://bot123456789%3A${SECRET}/deploys_feed?to=-4012345678,5551001&topic=7`,
    );
    assert.equal(setup.token, TOKEN);
    assert.deepEqual(setup.targets, [
      { chatId: '@deploys_feed', topicId: 7 },
      { chatId: -4012345678, topicId: 7 },
      { chatId: 5551001, topicId: 7 },
    ]);
  });

  test('a URL without chats still yields the token, with no chat to pin', () => {
    assert.deepEqual(parseAppriseUrl(`tgram://${TOKEN}`).targets, []);
  });

  test('names the Apprise options it has no use for', () => {
    const setup = parseAppriseUrl(`tgram://${TOKEN}/5551001?image=yes&detect=no&mdv=v2`);
    assert.deepEqual(setup.ignored, ['image', 'detect', 'mdv']);
  });

  test('malformed URLs get clear messages that never repeat the token', () => {
    const cases: Array<[string, RegExp]> = [
      [`https://api.telegram.org/bot${TOKEN}/`, /not an Apprise Telegram URL.*tgram:\/\//],
      [`telegram://${TOKEN}@telegram?channels=x`, /Shoutrrr/],
      [`${TOKEN}/5551001`, /looks like tgram:\/\//],
      [`tgram://${SECRET}/5551001`, /does not start with a bot token/],
      [
        `tgram://123456789:${SECRET.slice(0, 20)}/5551001`,
        /token in the URL is not valid.*cut short/,
      ],
      [`tgram://${TOKEN}/5551001?format=rtf`, /format=rtf is not one of text, markdown or html/],
      [`tgram://${TOKEN}/5551001?silent=maybe`, /silent=maybe is not yes or no/],
      [`tgram://${TOKEN}/5551001?topic=-3`, /not a topic id/],
      [`tgram://${TOKEN}/some%20chat`, /"some chat" is not a chat/],
      [`tgram://${TOKEN}/%E0%A4%A`, /broken %-escape/],
    ];
    for (const [url, why] of cases) {
      assert.throws(
        () => parseAppriseUrl(url),
        (err: Error) => {
          assert.ok(err instanceof AppriseUrlError, url);
          assert.match(err.message, why, url);
          assert.ok(!err.message.includes(SECRET.slice(0, 12)), `token leaked for ${url}`);
          return true;
        },
      );
    }
  });
});

describe('formatAppriseUrl', () => {
  test('writes what parseAppriseUrl reads back unchanged', () => {
    const setup = {
      token: TOKEN,
      targets: [{ chatId: -1001987654321, topicId: 42 }, { chatId: '@deploys_feed' }],
      format: 'markdown' as const,
      silent: false,
      preview: true,
    };
    const url = formatAppriseUrl(setup);
    assert.equal(
      url,
      `tgram://${TOKEN}/-1001987654321:42/@deploys_feed/?format=markdown&silent=no&preview=yes`,
    );
    const back = parseAppriseUrl(url);
    assert.deepEqual(
      {
        token: back.token,
        targets: back.targets,
        format: back.format,
        silent: back.silent,
        preview: back.preview,
      },
      setup,
    );
  });

  test('leaves out options that are not set', () => {
    assert.equal(formatAppriseUrl({ token: TOKEN, targets: [] }), `tgram://${TOKEN}/`);
  });
});

describe('Apprise URL errors keep the token out', () => {
  const token = '123456789:AAEhBP0av28Aj5hMbBw9xYuI_Vz4-Lq0aZ1';

  test('a token where a chat belongs is refused without repeating it', () => {
    for (const url of [`tgram://${token}/?to=${token}`, `tgram://${token}/${token}`]) {
      assert.throws(
        () => parseAppriseUrl(url),
        (err: Error) =>
          !err.message.includes('AAEhBP0av28Aj5hMbBw9xYuI') && /not a chat/.test(err.message),
      );
    }
  });

  test('a topic must be written in digits', () => {
    assert.throws(() => parseAppriseUrl(`tgram://${token}/-100123?topic=1e3`), /not a topic id/);
    assert.throws(() => parseAppriseUrl(`tgram://${token}/-100123?topic=0x10`), /not a topic id/);
  });
});
