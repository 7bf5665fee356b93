// Starts and drives test/host/emulator-process.ts from a host test: an emulator that survives
// a window reload, because it runs outside the extension host.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface ExternalEmulator {
  /** The Bot API base URL, for `telegramNotifier.apiBaseUrl`. */
  url: string;
  /** The control endpoint. */
  control: string;
  /** The chat id of the user who started the bot. */
  userId: number;
  pid: number;
}

/**
 * Spawns the emulator process detached (its own process group, no pipes, so the death of
 * this extension host does not touch it) and resolves once it has written `stateFile`.
 */
export async function startExternalEmulator(
  stateFile: string,
  token: string,
): Promise<ExternalEmulator> {
  // Suites are bundled to out/test/host/suite/; the emulator process sits one folder up.
  const script = join(__dirname, '..', 'emulator-process.js');
  const child = spawn(process.execPath, [script, stateFile, token], {
    detached: true,
    stdio: 'ignore',
    // test-electron's host is Electron: run it as plain Node.
    env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
  });
  child.unref();
  const deadline = Date.now() + 15_000;
  while (!existsSync(stateFile)) {
    if (Date.now() > deadline) throw new Error('the emulator process did not start');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return readExternalEmulator(stateFile);
}

/** The emulator a previous extension host started (after a reload). */
export function readExternalEmulator(stateFile: string): ExternalEmulator {
  return JSON.parse(readFileSync(stateFile, 'utf8')) as ExternalEmulator;
}

export async function refuseConnections(emu: ExternalEmulator, refuse: boolean): Promise<void> {
  await call(emu, `/refuse?on=${refuse ? 1 : 0}`);
}

/** Texts delivered to the user's chat, oldest first. */
export async function sentTexts(emu: ExternalEmulator): Promise<string[]> {
  return (await call(emu, '/sent')) as string[];
}

export async function stopExternalEmulator(emu: ExternalEmulator): Promise<void> {
  await call(emu, '/stop').catch(() => undefined);
}

async function call(emu: ExternalEmulator, path: string): Promise<unknown> {
  const res = await fetch(`${emu.control}${path}`);
  if (!res.ok) throw new Error(`emulator control ${path}: HTTP ${res.status}`);
  return res.json();
}
