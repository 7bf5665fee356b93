// Screenshots for the README, taken from the real extension: the .vsix installed into
// code-server, driven in headless Chromium against the emulator. Run on demand (not part of
// npm test): `node --import tsx scripts/screenshots.ts`. Writes media/screenshots/
// walkthrough.png, chat-view.png and settings.png (PNG, each kept under ~150 KB by the
// viewport size).
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Page, launchChromium, runPaletteCommand } from './host/browser';
import { startCodeServer } from './host/code-server.mjs';
import { type Profile, prepareProfile } from './host/profile';
import { ensureCodeServer, ensureDebianPackages } from './host/install.mjs';
import { freePort, repoRoot } from './host/util.mjs';
import { type Emulator, startEmulator } from '../test/emulator';

const TOKEN = `4242424242:AAE${'shotSHOTshot'.repeat(3).slice(0, 32)}`;
const OUT = join(repoRoot, 'media', 'screenshots');
const say = (text: string) => console.log(`[screenshots] ${text}`);

async function main(): Promise<void> {
  const vsix = join(mkdtempSync(join(tmpdir(), 'shots-vsix-')), 'telegram-notifier.vsix');
  execFileSync(process.execPath, ['scripts/package.mjs', '--out', vsix], { stdio: 'ignore' });
  await ensureDebianPackages();
  await ensureCodeServer();

  const emu = await startEmulator();
  emu.addBot({ token: TOKEN, username: 'my_builds_bot', firstName: 'My builds' });
  const you = emu.addUser({ id: 1001, firstName: 'Ann', username: 'ann' });
  emu.setStarted(TOKEN, you);
  const dirs = prepare(emu, vsix, you.id);
  const port = await freePort();
  const server = await startCodeServer({ port, dirs, env: {} });
  const browser = await launchChromium();
  mkdirSync(OUT, { recursive: true });
  try {
    const page = await browser.newPage({ viewport: { width: 1360, height: 760 } });
    await page.goto(`http://127.0.0.1:${port}/?folder=${encodeURIComponent(dirs.workspace)}`);
    await page
      .locator('.statusbar-item', { hasText: 'Telegram' })
      .first()
      .waitFor({ timeout: 90_000 });

    // The walkthrough first: VS Code ticks a step only when its condition turns true later.
    await runPaletteCommand(page, '>Welcome: Open Walkthrough', 'Open Walkthrough');
    await page.keyboard.type('Telegram');
    await page.waitForTimeout(800);
    await page.keyboard.press('Enter');
    await page.waitForTimeout(2000);

    await runPaletteCommand(page, '>Telegram: Set Bot Token', 'Set Bot Token');
    await page.locator('.quick-input-widget input').fill(TOKEN);
    await page.keyboard.press('Enter');
    await until(() => emu.requests.some((r) => r.method === 'getMe' && r.status === 200));
    await page.waitForTimeout(1500);
    await page.keyboard.press('Escape');
    await runPaletteCommand(
      page,
      '>View: Toggle Primary Side Bar Visibility',
      'Toggle Primary Side Bar',
    );
    await page.waitForTimeout(1000);
    await page.waitForTimeout(4000);
    await shot(page, 'walkthrough.png');
    await runPaletteCommand(
      page,
      '>View: Toggle Primary Side Bar Visibility',
      'Toggle Primary Side Bar',
    );
    await page.waitForTimeout(1000);

    await runPaletteCommand(page, 'task build-fails', 'build-fails');
    await emu.waitForMessage({ chatId: you.id, timeoutMs: 45_000 });
    await runPaletteCommand(page, '>Preferences: Open User Settings', 'Open User Settings');
    await page.waitForTimeout(2000);
    await page.keyboard.type('@ext:telegram-notifier.telegram-notifier');
    await page.waitForTimeout(2500);
    await shot(page, 'settings.png');

    const view = await browser.newPage({ viewport: { width: 760, height: 560 } });
    await view.goto(emu.chatUrl);
    await view.waitForTimeout(500);
    await shot(view, 'chat-view.png');
  } finally {
    await browser.close();
    await server.stop();
    await emu.close();
    rmSync(dirs.root, { recursive: true, force: true });
  }
}

/** A fresh profile with the .vsix installed and the emulator's chat pinned. */
function prepare(emu: Emulator, vsix: string, chatId: number): Profile {
  return prepareProfile({
    prefix: 'telegram-notifier-shots-',
    workspaceName: 'my-app',
    vsix,
    settings: {
      'workbench.colorTheme': 'Default Light Modern',
      'telegramNotifier.apiBaseUrl': emu.url,
      'telegramNotifier.chats': [{ id: chatId, title: 'Ann', type: 'private' }],
      'telegramNotifier.minDurationSeconds': 0,
    },
  });
}

async function shot(page: Page, name: string): Promise<void> {
  const file = join(OUT, name);
  await page.screenshot({ path: file, type: 'png' });
  const kb = Math.round(statSync(file).size / 1024);
  say(`${file}: ${kb} KB${kb > 150 ? ' (over 150 KB: make the viewport smaller)' : ''}`);
}

async function until(check: () => boolean, ms = 20_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(`[screenshots] failed: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  },
);
