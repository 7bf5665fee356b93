// A fresh code-server profile with the packaged extension installed, as a user would have
// it after "Install from VSIX": used by the demo and the screenshot script (the host tests
// load the extension as a development extension instead; see scenarios.mjs).
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { codeServerEntry } from './install.mjs';
import { repoRoot } from './util.mjs';

/** Settings every profile gets: no welcome page, trust prompt or telemetry. */
const BASE_SETTINGS = {
  'workbench.startupEditor': 'none',
  'security.workspace.trust.enabled': false,
  'telemetry.telemetryLevel': 'off',
};

export interface Profile {
  root: string;
  workspace: string;
  userDataDir: string;
  extensionsDir: string;
  artifactsDir: string;
}

/**
 * Makes a temp folder holding a copy of demo/workspace (named `workspaceName`), a user data
 * dir with `settings` over the base ones, and an extensions dir with `vsix` installed.
 */
export function prepareProfile(options: {
  prefix: string;
  workspaceName: string;
  settings: Record<string, unknown>;
  vsix: string;
}): Profile {
  const root = mkdtempSync(join(tmpdir(), options.prefix));
  const workspace = join(root, options.workspaceName);
  cpSync(join(repoRoot, 'demo', 'workspace'), workspace, { recursive: true });
  const userDataDir = join(root, 'user-data');
  const extensionsDir = join(root, 'extensions');
  mkdirSync(join(userDataDir, 'User'), { recursive: true });
  mkdirSync(extensionsDir);
  const settings = { ...BASE_SETTINGS, ...options.settings };
  writeFileSync(join(userDataDir, 'User', 'settings.json'), JSON.stringify(settings, null, 2));

  const args = ['--install-extension', options.vsix, '--extensions-dir', extensionsDir];
  execFileSync(process.execPath, [codeServerEntry, ...args, '--user-data-dir', userDataDir], {
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, EXTENSIONS_GALLERY: '{}' },
  });
  return { root, workspace, userDataDir, extensionsDir, artifactsDir: root };
}
