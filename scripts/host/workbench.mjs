// Drives the code-server workbench in headless Debian Chromium: opening the page starts the
// extension host, which runs our mocha entry and reports back through two window hooks.
import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { format } from 'node:util';
import { cacheDir, chromiumPath } from './install.mjs';
import { deadline, withTimeout } from './util.mjs';

/** Flags that keep Chromium from phoning home or needing a GPU, sandbox or big /dev/shm. */
export const chromiumArgs = [
  '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
  '--disable-dev-shm-usage',
];

/**
 * @typedef {object} WorkbenchRun
 * @property {number} exitCode what the workbench passed to codeAutomationExit
 * @property {string[]} lines everything the extension host logged, formatted
 */

/**
 * Opens the workbench in a fresh browser profile (so SecretStorage starts empty) with our
 * extension as a development extension and `testsPath` as its test runner, and waits until
 * the tests settle. Every log line goes to `onLine` as it arrives.
 * @param {object} options
 * @param {import('./code-server.mjs').CodeServer} options.server
 * @param {import('./scenarios.mjs').Prepared} options.dirs
 * @param {string} options.extensionPath
 * @param {string} options.testsPath
 * @param {number} options.timeoutMs
 * @param {(line: string) => void} options.onLine
 * @returns {Promise<WorkbenchRun>}
 */
export async function runWorkbench({ server, dirs, extensionPath, testsPath, timeoutMs, onLine }) {
  const limit = deadline(timeoutMs, 'scenario');
  const { chromium } = createRequire(join(cacheDir, 'package.json'))('playwright-core');
  const browser = await limit.race(chromium.launch({
    executablePath: chromiumPath, headless: true, args: chromiumArgs,
  }));
  /** @type {import('playwright-core').Page | undefined} */
  let page;
  let ok = false;
  try {
    // One context is one browser profile: every window in it shares SecretStorage.
    const context = await limit.race(browser.newContext({ viewport: { width: 1400, height: 900 } }));
    page = await limit.race(context.newPage());
    let windows = 0;
    const lines = /** @type {string[]} */ ([]);
    const { exit } = await limit.race(exposeAutomationHooks(page, dirs, (line) => {
      lines.push(line);
      onLine(line);
      if (line.trim() === OPEN_WINDOW) {
        const log = join(dirs.artifactsDir, `browser-console-window-${++windows + 1}.log`);
        void openWindow(context, server.port, dirs.workspace, extensionPath, log);
      }
    }));
    recordBrowserConsole(page, join(dirs.artifactsDir, 'browser-console.log'));
    await limit.race(page.goto(workbenchUrl(server.port, dirs.workspace, extensionPath,
      testsPath)));
    const exitCode = await limit.race(Promise.race([exit, ...failures(page, server)]));
    ok = exitCode === 0;
    return { exitCode, lines };
  } finally {
    limit.clear();
    if (!ok && page) await screenshot(page, join(dirs.artifactsDir, 'screenshot.png'));
    await withTimeout(browser.close(), 15_000, 'closing the browser').catch(() => {});
  }
}

/**
 * A test that logs this line gets one more window on the same profile (browser context,
 * so the same SecretStorage as it stood when the window opened) and folder, with the
 * extension loaded but no tests: what a user's second window is.
 */
const OPEN_WINDOW = 'HOST-OPEN-WINDOW';

/**
 * @param {import('playwright-core').BrowserContext} context
 * @param {number} port
 * @param {string} folder
 * @param {string} extensionPath
 * @param {string} consoleLog
 */
async function openWindow(context, port, folder, extensionPath, consoleLog) {
  try {
    const page = await context.newPage();
    recordBrowserConsole(page, consoleLog);
    await page.goto(workbenchUrl(port, folder, extensionPath));
  } catch (err) {
    // The test waits for the window's extension to start and fails with its own message.
    appendFileSync(consoleLog, `[runner] could not open the window: ${err}\n`);
  }
}

/**
 * Promises that reject when the run can no longer finish: code-server exited or the page
 * crashed.
 * @param {import('playwright-core').Page} page
 * @param {import('./code-server.mjs').CodeServer} server
 * @returns {Promise<never>[]}
 */
function failures(page, server) {
  const serverGone = server.exited.then((code) => {
    throw new Error(`code-server exited (${code}) while the tests ran`);
  });
  const crashed = new Promise((_, fail) => {
    page.once('crash', () => fail(new Error('the workbench page crashed')));
  });
  return [serverGone, crashed];
}

/**
 * Builds the workbench URL. The web workbench takes development and test paths from the
 * `payload` query parameter (the CLI rejects --extensionDevelopmentPath), as
 * vscode-remote URIs on this server.
 * @param {number} port
 * @param {string} folder
 * @param {string} extensionPath
 * @param {string} [testsPath] without it, a plain window with the development extension
 */
function workbenchUrl(port, folder, extensionPath, testsPath) {
  const remote = (path) => `vscode-remote://127.0.0.1:${port}${path}`;
  const payload = [['extensionDevelopmentPath', remote(extensionPath)]];
  if (testsPath) payload.push(['extensionTestsPath', remote(testsPath)]);
  const query = new URLSearchParams({ folder, payload: JSON.stringify(payload) });
  return `http://127.0.0.1:${port}/?${query}`;
}

/**
 * Exposes `codeAutomationLog` and `codeAutomationExit` before the page loads. The exit
 * hook also hands over the workbench's own logs, which we keep as artifacts.
 * @param {import('playwright-core').Page} page
 * @param {import('./scenarios.mjs').Prepared} dirs
 * @param {(line: string) => void} onLine
 * @returns {Promise<{ exit: Promise<number> }>} wrapped: an async function would otherwise
 *   wait for the exit promise itself
 */
async function exposeAutomationHooks(page, dirs, onLine) {
  /** @type {(code: number) => void} */
  let resolveExit = () => {};
  const exit = new Promise((done) => (resolveExit = done));
  await page.exposeFunction('codeAutomationLog', (_level, args) => {
    const text = Array.isArray(args) ? format(...args) : String(args);
    for (const line of text.split('\n')) onLine(line);
  });
  await page.exposeFunction('codeAutomationExit', (code, logs) => {
    saveWorkbenchLogs(join(dirs.artifactsDir, 'workbench-logs'), logs);
    resolveExit(Number(code));
  });
  return { exit };
}

/**
 * @param {string} dir
 * @param {unknown} logs `[{ relativePath, contents }]` from the workbench
 */
function saveWorkbenchLogs(dir, logs) {
  if (!Array.isArray(logs)) return;
  for (const { relativePath, contents } of logs) {
    const file = join(dir, String(relativePath));
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, String(contents));
  }
}

/**
 * Keeps the page's own console and uncaught errors in a file: too noisy to print, but the
 * first place to look when the workbench never starts the tests.
 * @param {import('playwright-core').Page} page
 * @param {string} file
 */
function recordBrowserConsole(page, file) {
  const append = (line) => appendFileSync(file, `${line}\n`);
  page.on('console', (message) => append(`[${message.type()}] ${message.text()}`));
  page.on('pageerror', (error) => append(`[pageerror] ${error.stack ?? error.message}`));
  page.on('crash', () => append('[crash] the page crashed'));
}

/**
 * @param {import('playwright-core').Page} page
 * @param {string} file
 */
async function screenshot(page, file) {
  try {
    await withTimeout(page.screenshot({ path: file }), 15_000, 'screenshot');
  } catch {
    // The page may be gone (crash, closed browser); the logs then have to do.
  }
}
