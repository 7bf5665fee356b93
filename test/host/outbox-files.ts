// The extension's outbox files, read from disk by host tests.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { EXTENSION_ID } from './helpers';

/** The extension's global storage folder, found under the runner's user data dir. */
export function storageDir(): string {
  const root = process.env.HOST_TEST_USER_DATA_DIR;
  if (!root) throw new Error('HOST_TEST_USER_DATA_DIR is not set by the host runner');
  const found = findDirs(root, (name) => name === 'globalStorage');
  if (found.length === 0) throw new Error(`no globalStorage folder under ${root}`);
  return join(found[0], EXTENSION_ID);
}

/** Every message in every window's outbox file. */
export function outboxMessages(): unknown[] {
  const dir = join(storageDir(), 'outbox');
  let names: string[];
  try {
    names = readdirSync(dir).filter((name) => name.endsWith('.json'));
  } catch {
    return [];
  }
  return names.flatMap((name) => {
    try {
      return JSON.parse(readFileSync(join(dir, name), 'utf8')) as unknown[];
    } catch {
      return [];
    }
  });
}

function findDirs(dir: string, match: (name: string) => boolean): string[] {
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return [];
  }
  return entries.flatMap((name) => {
    const path = join(dir, name);
    if (!statSync(path).isDirectory()) return [];
    return match(name) ? [path] : findDirs(path, match);
  });
}
