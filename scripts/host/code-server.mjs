// Starts code-server for one scenario and stops its whole process tree afterwards.
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { get } from 'node:http';
import { join } from 'node:path';
import { codeServerEntry } from './install.mjs';
import { delay, say, withTimeout } from './util.mjs';

/**
 * @typedef {object} CodeServer
 * @property {number} port
 * @property {() => string} log everything code-server printed so far
 * @property {Promise<number | null>} exited settles when the process ends
 * @property {() => Promise<void>} stop kills the process group, waits for it to end
 */

/**
 * Launches code-server detached (its own process group, so the extension host, pty host
 * and file watcher it spawns can be killed together) and waits until it answers HTTP.
 * @param {object} options
 * @param {number} options.port
 * @param {import('./scenarios.mjs').Prepared} options.dirs
 * @param {Record<string, string>} options.env reaches the extension host unchanged
 * @param {string} [options.locale]
 * @returns {Promise<CodeServer>}
 */
export async function startCodeServer({ port, dirs, env, locale }) {
  // Without --config code-server writes ~/.config/code-server/config.yaml.
  const config = join(dirs.root, 'code-server.yaml');
  writeFileSync(config, `bind-addr: 127.0.0.1:${port}\nauth: none\ncert: false\n`);
  const args = [
    codeServerEntry, '--bind-addr', `127.0.0.1:${port}`, '--auth', 'none',
    '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust',
    '--disable-getting-started-override', '--config', config,
    '--user-data-dir', dirs.userDataDir, '--extensions-dir', dirs.extensionsDir,
    ...(locale ? ['--locale', locale] : []),
    dirs.workspace,
  ];
  const child = spawn(process.execPath, args, {
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...inheritedEnv(), ...env, EXTENSIONS_GALLERY: '{}' },
  });
  const chunks = /** @type {string[]} */ ([]);
  child.stdout.on('data', (data) => chunks.push(String(data)));
  child.stderr.on('data', (data) => chunks.push(String(data)));
  const exited = new Promise((done) => child.on('exit', (code) => done(code)));
  const server = { port, log: () => chunks.join(''), exited, stop: () => stop(child, exited) };
  await waitUntilListening(port, exited);
  return server;
}

/**
 * The runner's environment minus variables of an editor the runner itself may be running
 * in (a VS Code terminal), which would make code-server talk to that editor.
 */
function inheritedEnv() {
  const env = { ...process.env };
  for (const key of Object.keys(env)) {
    if (key.startsWith('VSCODE_') || key === 'ELECTRON_RUN_AS_NODE') delete env[key];
  }
  return env;
}

/**
 * Polls /healthz until code-server answers; fails early if it exits.
 * @param {number} port
 * @param {Promise<number | null>} exited
 */
async function waitUntilListening(port, exited) {
  let gone = false;
  void exited.then(() => (gone = true));
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (gone) throw new Error('code-server exited before it listened');
    if (await answers(`http://127.0.0.1:${port}/healthz`)) return;
    await delay(250);
  }
  throw new Error('code-server did not listen within 60 s');
}

/**
 * @param {string} url
 * @returns {Promise<boolean>} true on any HTTP 200
 */
function answers(url) {
  return new Promise((done) => {
    const request = get(url, (response) => {
      response.resume();
      done(response.statusCode === 200);
    });
    request.setTimeout(2_000, () => request.destroy());
    request.on('error', () => done(false));
  });
}

/**
 * SIGTERM to the whole group, SIGKILL to whatever is left after 5 s.
 * @param {import('node:child_process').ChildProcess} child
 * @param {Promise<number | null>} exited
 */
async function stop(child, exited) {
  if (child.pid === undefined) return;
  signalGroup(child.pid, 'SIGTERM');
  const ended = await withTimeout(exited, 5_000, 'stopping code-server').then(() => true,
    () => false);
  if (!ended) say('code-server ignored SIGTERM; killing its process group');
  // Children of the group may outlive the leader even after a clean exit.
  signalGroup(child.pid, 'SIGKILL');
}

/**
 * @param {number} pid leader of the group
 * @param {NodeJS.Signals} signal
 */
function signalGroup(pid, signal) {
  try {
    process.kill(-pid, signal);
  } catch (error) {
    if (/** @type {NodeJS.ErrnoException} */ (error).code !== 'ESRCH') throw error;
  }
}
