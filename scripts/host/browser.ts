// Headless Chromium for every script and test here that drives a page: Debian's chromium,
// driven by playwright-core from the host-test cache (never a browser download), with the
// flags the extension-host runner uses. The types name only the playwright calls we make.
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { cacheDir, chromiumPath } from './install.mjs';
import { chromiumArgs } from './workbench.mjs';

/** Browser globals used inside page callbacks (the tsconfig has no DOM lib). */
export type Element = object;

export interface Locator {
  first(): Locator;
  waitFor(options?: { timeout: number }): Promise<void>;
  fill(text: string): Promise<void>;
  click(): Promise<void>;
  count(): Promise<number>;
  textContent(): Promise<string | null>;
  getAttribute(name: string): Promise<string | null>;
  evaluate<T>(fn: (el: Element) => T): Promise<T>;
}

export interface Page {
  goto(url: string): Promise<unknown>;
  locator(selector: string, options?: { hasText: string }): Locator;
  keyboard: { press(key: string): Promise<void>; type(text: string): Promise<void> };
  waitForTimeout(ms: number): Promise<void>;
  screenshot(options: { path: string; type?: 'png' }): Promise<unknown>;
  close(): Promise<void>;
}

export interface Browser {
  newPage(options?: { viewport: { width: number; height: number } }): Promise<Page>;
  close(): Promise<void>;
}

/** Where playwright-core's manifest is once `ensureCodeServer()` has run. */
export const playwrightPackage = join(cacheDir, 'node_modules', 'playwright-core', 'package.json');

export async function launchChromium(): Promise<Browser> {
  const { chromium } = createRequire(join(cacheDir, 'package.json'))('playwright-core') as {
    chromium: { launch(options: object): Promise<Browser> };
  };
  return chromium.launch({ executablePath: chromiumPath, headless: true, args: chromiumArgs });
}

/** Runs a command palette entry (or a quick-access query such as `task NAME`) in the workbench. */
export async function runPaletteCommand(page: Page, query: string, rowText: string): Promise<void> {
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ timeout: 15_000 });
  await input.fill(query);
  await page
    .locator('.quick-input-list .monaco-list-row', { hasText: rowText })
    .first()
    .waitFor({ timeout: 15_000 });
  await page.keyboard.press('Enter');
}
