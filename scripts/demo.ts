// `npm run demo`: the main job on an embedded Bot API emulator. Packs the .vsix, starts the
// emulator and a VS Code (code-server) with the extension installed from that .vsix and a
// sample workspace (a passing and a failing task), configured against the emulator.
//
//   npm run demo                 interactive: prints the address to open and the demo token
//   npm run demo -- --once       headless: stores the token and runs the failing task through
//                                the real UI, prints the message the emulator received and
//                                exits non-zero if none arrived
//   npm run demo -- --once --fail-sends   the emulator refuses every sendMessage (exit 1)
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { launchChromium, runPaletteCommand } from './host/browser';
import { startCodeServer } from './host/code-server.mjs';
import { type Profile, prepareProfile } from './host/profile';
import { ensureCodeServer, ensureDebianPackages } from './host/install.mjs';
import { freePort, repoRoot } from './host/util.mjs';
import { type Emulator, type SentMessage, startEmulator } from '../test/emulator';

const DEMO_TOKEN = `4242424242:AAE${'demoDEMOdemo'.repeat(3).slice(0, 32)}`;

const { values: flags } = parseArgs({
  options: {
    once: { type: 'boolean', default: false },
    'fail-sends': { type: 'boolean', default: false },
    port: { type: 'string' },
    'emulator-port': { type: 'string' },
  },
});

const say = (text: string) => console.log(`[demo] ${text}`);

async function main(): Promise<number> {
  const vsix = packVsix();
  await ensureDebianPackages();
  await ensureCodeServer();

  const emu = await startDemoEmulator();
  const dirs = prepareFolders(emu, vsix);
  const port = flags.port ? Number(flags.port) : await freePort();
  const server = await startCodeServer({ port, dirs, env: {} });
  const url = `http://127.0.0.1:${port}/?folder=${encodeURIComponent(dirs.workspace)}`;

  const stopAll = async () => {
    await server.stop();
    await emu.close();
    rmSync(dirs.root, { recursive: true, force: true });
  };
  if (flags.once) {
    try {
      return await runOnce(url, emu);
    } finally {
      await stopAll();
    }
  }

  printInteractiveHelp(url, emu);
  await new Promise<void>((done) => process.once('SIGINT', () => done()));
  await stopAll();
  return 0;
}

function packVsix(): string {
  const out = join(repoRoot, '.vscode-test', 'demo', 'telegram-notifier.vsix');
  mkdirSync(join(repoRoot, '.vscode-test', 'demo'), { recursive: true });
  say('packing the extension');
  execFileSync(process.execPath, ['scripts/package.mjs', '--out', out], {
    cwd: repoRoot,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  return out;
}

async function startDemoEmulator(): Promise<Emulator> {
  const port = flags['emulator-port'] ? Number(flags['emulator-port']) : 0;
  const emu = await startEmulator({ port, limits: true });
  emu.addBot({ token: DEMO_TOKEN, username: 'demo_notifier_bot', firstName: 'Demo Notifier' });
  if (flags['fail-sends']) {
    emu.failAll('sendMessage', {
      status: 500,
      body: { ok: false, error_code: 500, description: 'Internal Server Error' },
    });
  }
  return emu;
}

/** The demo user is chat 1001, already pinned; only the token is left for the user to set. */
function prepareFolders(emu: Emulator, vsix: string): Profile {
  const user = emu.addUser({ id: 1001, firstName: 'You', username: 'demo_you' });
  emu.setStarted(DEMO_TOKEN, user);
  say('installing the .vsix into a fresh code-server profile');
  return prepareProfile({
    prefix: 'telegram-notifier-demo-',
    workspaceName: 'workspace',
    vsix,
    settings: {
      'telegramNotifier.apiBaseUrl': emu.url,
      'telegramNotifier.chats': [{ id: user.id, title: 'You (demo)', type: 'private' }],
      'telegramNotifier.minDurationSeconds': 0,
    },
  });
}

function printInteractiveHelp(url: string, emu: Emulator): void {
  emu.clearLog();
  console.log(`
Telegram Notifier demo
  VS Code:          ${url}
  Bot API emulator: ${emu.url} (stands in for api.telegram.org; chat 1001 is pinned)
  Chat view:        ${emu.chatUrl}
                    open it in a browser beside VS Code: the chat as Telegram would show it,
                    with a box to write to the bot as "You" (e.g. for Detect and Pin Chat)

In VS Code:
  1. Command Palette > "Telegram: Set Bot Token", paste the demo token:
       ${DEMO_TOKEN}
  2. Terminal > Run Task... > build-fails (or build-passes).
Messages the bot sends are printed here. Ctrl+C stops the demo.
`);
  const seen = new Set<SentMessage>();
  const timer = setInterval(() => {
    for (const sent of emu.sentMessages()) {
      if (seen.has(sent)) continue;
      seen.add(sent);
      printMessage(sent);
    }
  }, 300);
  timer.unref();
}

function printMessage(sent: SentMessage): void {
  console.log(`\n--- the bot sent to chat ${sent.chatId} (${sent.parseMode ?? 'plain text'}):`);
  console.log(sent.text);
  console.log('---');
}

/** Drives the real workbench as a user would: command palette, token prompt, Run Task. */
async function runOnce(url: string, emu: Emulator): Promise<number> {
  const browser = await launchChromium();
  try {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    say(`opening ${url}`);
    await page.goto(url);
    await page
      .locator('.statusbar-item', { hasText: 'Telegram' })
      .first()
      .waitFor({ timeout: 90_000 });
    say('the extension is active; storing the token through "Telegram: Set Bot Token"');

    await runPaletteCommand(page, '>Telegram: Set Bot Token', 'Set Bot Token');
    await page.locator('.quick-input-widget input').fill(DEMO_TOKEN);
    await page.keyboard.press('Enter');
    await waitFor(
      () => emu.requests.some((r) => r.method === 'getMe' && r.status === 200),
      20_000,
      'the token check (getMe)',
    );
    await page.waitForTimeout(1000);

    say('running the task "build-fails"');
    const since = Date.now();
    await runPaletteCommand(page, 'task build-fails', 'build-fails');
    const sent = await emu
      .waitForMessage({ chatId: 1001, timeoutMs: 45_000 })
      .catch(() => undefined);
    if (!sent) {
      const sends = emu.requests.filter((r) => r.method === 'sendMessage' && r.time >= since);
      say(`no message arrived at the emulator (${sends.length} sendMessage attempt(s) refused)`);
      return 1;
    }
    printMessage(sent);
    say(`the chat view shows it at ${emu.chatUrl} (closes when the demo exits)`);
    return 0;
  } finally {
    await browser.close();
  }
}

async function waitFor(check: () => boolean, ms: number, what: string): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(`[demo] failed: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  },
);
