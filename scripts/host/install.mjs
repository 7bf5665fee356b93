// First-use installation of everything the code-server runner needs: Debian packages
// (chromium, ripgrep, Kerberos headers, a compiler) and code-server + playwright-core in a
// cache folder under .vscode-test/. Every workaround here is explained in
// /work/shared/HOST-TESTS.md ("A plain npm install ... fails four ways").
import { spawn, spawnSync } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { copyFileSync, rmSync, writeFileSync } from 'node:fs';
import { arch, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { delay, repoRoot, run, say, since } from './util.mjs';

/** Newest code-server whose `engines.node` accepts Node 20; bundles VS Code 1.100.3. */
export const CODE_SERVER_VERSION = '4.100.3';

/** The cache folder; `.vscode-test/` is gitignored. */
export const cacheDir = join(repoRoot, '.vscode-test', `code-server-${CODE_SERVER_VERSION}`);

/** Written last, so a half-finished install is never mistaken for a good one. */
const markerFile = join(cacheDir, '.installed.json');

/** Path of the code-server entry point inside the cache. */
export const codeServerEntry = join(cacheDir, 'node_modules', 'code-server', 'out', 'node',
  'entry.js');

/** Chromium from Debian; playwright's own browser download is unreachable offline. */
export const chromiumPath = '/usr/bin/chromium';

/**
 * Debian packages and the file each one provides; a package counts as present when its
 * file exists, which also works on machines where the file came from elsewhere.
 */
const debianPackages = [
  { pkg: 'chromium', file: chromiumPath },
  { pkg: 'ripgrep', file: '/usr/bin/rg' },
  { pkg: 'libkrb5-dev', file: '/usr/include/krb5.h' },
  // node-gyp builds kerberos and node-pty inside code-server's postinstall.
  { pkg: 'g++', file: '/usr/bin/g++' },
  { pkg: 'make', file: '/usr/bin/make' },
  { pkg: 'python3', file: '/usr/bin/python3' },
];

/**
 * Installs the missing Debian packages with apt-get, which needs root. Without root it
 * fails with the exact command to run instead.
 */
export async function ensureDebianPackages() {
  const missing = debianPackages.filter((p) => !existsSync(p.file)).map((p) => p.pkg);
  if (missing.length === 0) return;
  const command = `apt-get update && apt-get install -y ${missing.join(' ')}`;
  if (process.getuid?.() !== 0 || !existsSync('/usr/bin/apt-get')) {
    throw new Error(`missing system packages: ${missing.join(', ')}. Install them with:\n` +
      `  sudo sh -c '${command}'`);
  }
  const started = Date.now();
  say(`installing Debian packages: ${missing.join(' ')}`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  await run('apt-get', ['update'], { env });
  await run('apt-get', ['install', '-y', ...missing], { env });
  say(`Debian packages installed in ${since(started)}`);
}

/**
 * Makes sure code-server and playwright-core are installed in the cache folder, installing
 * them on first use (about 80 s, 300 MB) and reusing them afterwards.
 */
export async function ensureCodeServer() {
  if (isInstalled()) {
    say(`using cached code-server ${CODE_SERVER_VERSION} in ${cacheDir}`);
    return;
  }
  const release = await lockInstall();
  try {
    if (!isInstalled()) await installCodeServer();
  } finally {
    release();
  }
}

/**
 * Several runs starting at once on a fresh machine must not install over each other: the
 * first takes a lock (a file created exclusively, holding its pid), the others wait for it.
 * A lock whose process is gone is stale and taken over.
 * @returns {Promise<() => void>} releases the lock
 */
async function lockInstall() {
  const lock = `${cacheDir}.lock`;
  mkdirSync(dirname(lock), { recursive: true });
  for (let waited = 0; ; waited += 2) {
    try {
      writeFileSync(lock, String(process.pid), { flag: 'wx' });
      return () => rmSync(lock, { force: true });
    } catch {
      if (!holderAlive(lock)) rmSync(lock, { force: true });
      else if (waited % 20 === 0) say(`waiting for another run to finish installing (${lock})`);
      await delay(2_000);
    }
  }
}

/** @param {string} lock */
function holderAlive(lock) {
  try {
    process.kill(Number(readFileSync(lock, 'utf8')), 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but is not ours; an unreadable lock is being written.
    const code = /** @type {NodeJS.ErrnoException} */ (error).code;
    return code === 'EPERM' || code === 'ENOENT';
  }
}

/** The install itself; the caller holds the lock. */
async function installCodeServer() {
  const started = Date.now();
  say(`installing code-server ${CODE_SERVER_VERSION} + playwright-core into ${cacheDir}`);
  say('(first run only; takes about 80 s)');
  rmSync(cacheDir, { recursive: true, force: true });
  mkdirSync(cacheDir, { recursive: true });
  writeCachePackageJson();
  seedRipgrepDownload();
  await npmInstall();
  verifyInstall();
  writeFileSync(markerFile, JSON.stringify({
    codeServer: CODE_SERVER_VERSION,
    playwrightCore: installedVersion('playwright-core'),
    installedAt: new Date().toISOString(),
    seconds: Math.round((Date.now() - started) / 1000),
  }, null, 2));
  say(`code-server installed in ${since(started)}`);
}

/** True when a previous install finished and its entry point is still there. */
function isInstalled() {
  return existsSync(markerFile) && existsSync(codeServerEntry);
}

/**
 * The cache folder is its own tiny npm project, so the install stays out of the
 * extension's package.json. npm 11 blocks dependency install scripts unless the project
 * lists them in `allowScripts` (`--allow-scripts` is refused in project-scoped installs):
 * code-server's postinstall installs VS Code's own modules, argon2's builds its addon.
 */
function writeCachePackageJson() {
  const manifest = {
    name: 'host-test-code-server-cache',
    private: true,
    description: 'Installed by scripts/host/install.mjs; safe to delete.',
    dependencies: { 'code-server': CODE_SERVER_VERSION, 'playwright-core': '^1' },
    allowScripts: { 'code-server': true, argon2: true },
  };
  writeFileSync(join(cacheDir, 'package.json'), JSON.stringify(manifest, null, 2));
}

/**
 * @vscode/ripgrep's postinstall downloads `rg` from GitHub, unreachable here. It first
 * looks in a tmpdir cache for the release tarball, so we put Debian's `/usr/bin/rg` there,
 * packed the way the release is (a top-level file `rg`).
 */
function seedRipgrepDownload() {
  const target = arch() === 'arm64' ? 'aarch64-unknown-linux-musl' : 'x86_64-unknown-linux-musl';
  const dir = join(tmpdir(), 'vscode-ripgrep-cache-1.15.11');
  const tarball = join(dir, `ripgrep-v13.0.0-10-${target}.tar.gz`);
  if (existsSync(tarball)) return;
  mkdirSync(dir, { recursive: true });
  const staging = mkdtempSync(join(tmpdir(), 'rg-'));
  copyFileSync('/usr/bin/rg', join(staging, 'rg'));
  const tar = spawnSync('tar', ['-czf', tarball, '-C', staging, 'rg'], { stdio: 'inherit' });
  rmSync(staging, { recursive: true, force: true });
  if (tar.status !== 0) throw new Error(`could not create ${tarball}`);
}

/**
 * Runs `npm install` in the cache folder, output to install.log, with a heartbeat line so
 * CI logs show progress. `unsafe_perm` lets code-server's postinstall run as root; `yes`
 * lets node-pty's `npx node-gyp` proceed without a prompt.
 */
async function npmInstall() {
  const logPath = join(cacheDir, 'install.log');
  const log = createWriteStream(logPath);
  const env = { ...process.env, npm_config_unsafe_perm: 'true', npm_config_yes: 'true' };
  const args = ['install', '--no-audit', '--no-fund', '--foreground-scripts'];
  const started = Date.now();
  const heartbeat = setInterval(() => say(`  still installing (${since(started)})`), 20_000);
  let code;
  try {
    code = await new Promise((done, fail) => {
      const child = spawn('npm', args, { cwd: cacheDir, env, stdio: ['ignore', 'pipe', 'pipe'] });
      child.stdout.pipe(log, { end: false });
      child.stderr.pipe(log, { end: false });
      child.on('error', fail);
      child.on('close', done);
    });
  } finally {
    clearInterval(heartbeat);
    await new Promise((done) => log.end(done));
  }
  if (code !== 0) {
    console.error(readFileSync(logPath, 'utf8').split('\n').slice(-40).join('\n'));
    throw new Error(`npm install of code-server exited with ${code}; full log: ${logPath}`);
  }
}

/** Checks the pieces a silently skipped postinstall would leave out. */
function verifyInstall() {
  const vscodeDir = join(cacheDir, 'node_modules', 'code-server', 'lib', 'vscode');
  const expected = [
    codeServerEntry,
    join(vscodeDir, 'node_modules.asar'),
    join(vscodeDir, 'node_modules', '@vscode', 'ripgrep', 'bin', 'rg'),
    join(vscodeDir, 'node_modules', 'node-pty', 'build', 'Release', 'pty.node'),
    join(cacheDir, 'node_modules', 'playwright-core', 'package.json'),
  ];
  const absent = expected.filter((file) => !existsSync(file));
  if (absent.length > 0) {
    throw new Error(`code-server install is incomplete; missing:\n  ${absent.join('\n  ')}\n` +
      `see ${join(cacheDir, 'install.log')}`);
  }
}

/**
 * @param {string} name a package installed in the cache folder
 * @returns {string}
 */
function installedVersion(name) {
  const file = join(cacheDir, 'node_modules', name, 'package.json');
  return JSON.parse(readFileSync(file, 'utf8')).version;
}
