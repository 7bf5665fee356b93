// The extension's outbox files, read from disk by host tests.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { EXTENSION_ID, findUnder, userDataDir } from './helpers';

/** The extension's global storage folder, found under the runner's user data dir. */
export function storageDir(): string {
  const root = userDataDir();
  const found = findUnder(root, (name) => name === 'globalStorage', 'dir');
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
