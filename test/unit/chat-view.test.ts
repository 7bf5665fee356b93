/**
 * The emulator's chat view in a real headless Chromium: a message the bot sent in HTML shows
 * with Telegram's formatting, the box writes to the bot as the user, and new messages appear
 * without a reload. Chromium and playwright-core come from the host-test cache
 * (scripts/host/install.mjs; `npm test` installs both before the unit tests). Without them the
 * browser tests are skipped, saying so; the rendering tests below them always run.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import {
  type Browser,
  type Element,
  type Locator,
  type Page,
  launchChromium,
  playwrightPackage,
} from '../../scripts/host/browser';
import { chromiumPath } from '../../scripts/host/install.mjs';
import { renderEntities } from '../emulator/chat-view';
import { type BotInfo, type Emulator, startEmulator } from '../emulator';
import type { TgUser } from '../emulator/types';

declare function getComputedStyle(el: Element): { color: string; fontWeight: string };

const missing = [chromiumPath, playwrightPackage].filter((file) => !existsSync(file));
const skip = missing.length
  ? `needs ${missing.join(' and ')}; run \`node scripts/host/run.mjs\` once (or \`npm test\`) to install`
  : false;

const TOKEN = `5550001:${'C'.repeat(35)}`;

describe('the chat view in Chromium', { skip }, () => {
  let emu: Emulator;
  let bot: BotInfo;
  let ann: TgUser;
  let browser: Browser;
  let page: Page;

  before(async () => {
    emu = await startEmulator();
    bot = emu.addBot({ token: TOKEN, username: 'view_bot' });
    ann = emu.addUser({ firstName: 'Ann' });
    emu.setStarted(TOKEN, ann);
    browser = await launchChromium();
    page = await browser.newPage();
  });

  after(async () => {
    await browser?.close();
    await emu?.close();
  });

  test('shows an HTML message with bold, italic, code, pre, link and spoiler rendered', async () => {
    await send({
      chat_id: ann.id,
      parse_mode: 'HTML',
      text:
        '❌ <b>build <i>failed</i></b> in <code>a&lt;b</code> ' +
        '<a href="https://example.com/run/7">run 7</a> <tg-spoiler>secret</tg-spoiler>\n' +
        '<pre><code class="language-sh">exit 3</code></pre>',
    });
    await page.goto(emu.chatUrl);

    const message = `section[data-chat-id="${ann.id}"] article.bot`;
    assert.equal(await page.locator(`${message} b`).textContent(), 'build failed');
    assert.equal(await page.locator(`${message} b > i`).textContent(), 'failed');
    assert.equal(await page.locator(`${message} code`).first().textContent(), 'a<b');
    assert.equal(await page.locator(`${message} pre code.language-sh`).textContent(), 'exit 3');
    const link = page.locator(`${message} a`);
    assert.equal(await link.textContent(), 'run 7');
    assert.equal(await link.getAttribute('href'), 'https://example.com/run/7');
    assert.equal(await weight(page.locator(`${message} b`)), '700');

    const spoiler = page.locator(`${message} .spoiler`);
    assert.equal(await spoiler.evaluate((el) => getComputedStyle(el).color), 'rgba(0, 0, 0, 0)');
    await spoiler.click();
    assert.notEqual(await spoiler.evaluate((el) => getComputedStyle(el).color), 'rgba(0, 0, 0, 0)');
  });

  test('the box sends a message to the bot as the user, which the bot receives as an update', async () => {
    await page.goto(emu.chatUrl);
    await page.locator('#send input[name=text]').fill('/start 4F2A9C');
    await page.locator('#send button').click();

    await page.locator('article.user').waitFor({ timeout: 5000 });
    assert.equal(await page.locator('article.user .text').textContent(), '/start 4F2A9C');
    const update = emu.pendingUpdates(TOKEN).at(-1);
    assert.equal(update?.message?.text, '/start 4F2A9C');
    assert.equal(update?.message?.from?.id, ann.id);
    assert.equal(update?.message?.chat.id, ann.id);
  });

  test('a message sent while the page is open appears without a reload', async () => {
    await page.goto(emu.chatUrl);
    const before = await page.locator('article.bot').count();
    await send({ chat_id: ann.id, parse_mode: 'MarkdownV2', text: '*late* _news_' });
    await page.locator(`article.bot >> nth=${before}`).waitFor({ timeout: 6000 });
    assert.equal(await page.locator(`article.bot >> nth=${before} >> b`).textContent(), 'late');
    assert.equal(await page.locator(`article.bot >> nth=${before} >> i`).textContent(), 'news');
  });

  async function send(params: Record<string, unknown>): Promise<void> {
    const res = await fetch(`${emu.url}/bot${bot.token}/sendMessage`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(params),
    });
    const body = (await res.json()) as { ok: boolean; description?: string };
    assert.ok(body.ok, body.description);
  }
});

function weight(locator: Locator): Promise<string> {
  return locator.evaluate((el) => getComputedStyle(el).fontWeight);
}

describe('rendering entities as Telegram shows them', () => {
  test('nested entities become nested elements and the text is escaped', () => {
    const html = renderEntities('bold it <x>', [
      { type: 'bold', offset: 0, length: 7 },
      { type: 'italic', offset: 5, length: 2 },
    ]);
    assert.equal(html, '<b>bold <i>it</i></b> &lt;x&gt;');
  });

  test('offsets count UTF-16 code units, so text after an emoji keeps its formatting', () => {
    const html = renderEntities('✅ 🚀 done', [{ type: 'code', offset: 5, length: 4 }]);
    assert.equal(html, '✅ 🚀 <code>done</code>');
  });

  test('a pre block names its language and a text link keeps its address', () => {
    const html = renderEntities('log here', [
      { type: 'pre', offset: 0, length: 3, language: 'sh' },
      { type: 'text_link', offset: 4, length: 4, url: 'https://e.x/?a=1&b="2"' },
    ]);
    assert.equal(
      html,
      '<pre><code class="language-sh">log</code></pre> ' +
        '<a href="https://e.x/?a=1&amp;b=&quot;2&quot;" rel="noreferrer">here</a>',
    );
  });
});
