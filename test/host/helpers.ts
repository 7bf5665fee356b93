// Shared helpers for the extension-host suites: the emulator wiring, settings, the
// extension's API and its log file. Host tests import from here instead of copying.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { TelegramNotifierApi } from '../../src/extension';

export const EXTENSION_ID = 'telegram-notifier.telegram-notifier';

/** A well-formed token: digits, a colon, 35 characters. */
export function fakeToken(botId: number, fill = 'x'): string {
  return `${botId}:AAE${fill.repeat(32)}`;
}

export async function activateExtension(): Promise<TelegramNotifierApi> {
  const extension = vscode.extensions.getExtension<TelegramNotifierApi>(EXTENSION_ID);
  if (!extension) throw new Error(`${EXTENSION_ID} is not loaded`);
  return extension.activate();
}

/** Sets a `telegramNotifier.*` setting in the user (global) settings and waits for it. */
export async function setUserSetting(key: string, value: unknown): Promise<void> {
  await vscode.workspace
    .getConfiguration('telegramNotifier')
    .update(key, value, vscode.ConfigurationTarget.Global);
}

/** Polls `check` until it returns a value other than undefined, or fails after `ms`. */
export async function eventually<T>(
  what: string,
  check: () => T | undefined | Promise<T | undefined>,
  ms = 15_000,
): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * The text of the extension's LogOutputChannel, read from the log files VS Code writes
 * under the user data dir the runner passes in HOST_TEST_USER_DATA_DIR.
 */
export function readExtensionLog(): string {
  return findUnder(join(userDataDir(), 'logs'), (name) => name.includes('Telegram Notifier'))
    .map((file) => readFileSync(file, 'utf8'))
    .join('\n');
}

/** The user data dir the host runner made for this scenario. */
export function userDataDir(): string {
  const root = process.env.HOST_TEST_USER_DATA_DIR;
  if (!root) throw new Error('HOST_TEST_USER_DATA_DIR is not set by the host runner');
  return root;
}

/**
 * Paths below `dir` whose name matches: files, or with `kind` 'dir' folders (a matching
 * folder is not searched further). Unreadable folders count as empty.
 */
export function findUnder(
  dir: string,
  match: (name: string) => boolean,
  kind: 'file' | 'dir' = 'file',
): string[] {
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return [];
  }
  return entries.flatMap((name) => {
    const path = join(dir, name);
    const isDir = statSync(path).isDirectory();
    if (isDir && kind === 'dir' && match(name)) return [path];
    if (isDir) return findUnder(path, match, kind);
    return kind === 'file' && match(name) ? [path] : [];
  });
}

/** Finds a task of the fixture workspace by its label. */
export async function findTask(name: string): Promise<vscode.Task> {
  const tasks = await vscode.tasks.fetchTasks();
  const task = tasks.find((t) => t.name === name);
  if (!task) throw new Error(`task ${name} not found: ${tasks.map((t) => t.name).join(', ')}`);
  return task;
}

/** Runs a task and resolves with its process's exit code. */
export async function runTask(name: string): Promise<number | undefined> {
  const task = await findTask(name);
  const ended = new Promise<number | undefined>((resolve) => {
    const listener = vscode.tasks.onDidEndTaskProcess((event) => {
      if (event.execution.task.name !== name) return;
      listener.dispose();
      resolve(event.exitCode);
    });
  });
  await vscode.tasks.executeTask(task);
  return ended;
}
