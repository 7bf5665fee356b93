// `npm test`: every check in order, stopping at the first failing step, then one closing
// line with the totals: type-check, lint, unit tests (node's test runner), and the suite in a
// real VS Code extension host (scripts/host/run.mjs, which installs what it needs).
// Usage: node scripts/test-all.mjs [--skip-host]
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureCodeServer, ensureDebianPackages } from './host/install.mjs';

const skipHost = process.argv.includes('--skip-host');
const node = process.execPath;
const totals = { passed: 0, failed: 0 };

function run(title, command, args, { capture = false } = {}) {
  console.log(`\n=== ${title}`);
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(command, args, {
      stdio: ['ignore', capture ? 'pipe' : 'inherit', 'inherit'],
    });
    let output = '';
    child.stdout?.on('data', (chunk) => {
      output += chunk;
      process.stdout.write(chunk);
    });
    child.on('close', (code) => {
      console.log(
        `=== ${title}: ${code === 0 ? 'ok' : `failed (exit ${code})`} in ` +
          `${((Date.now() - started) / 1000).toFixed(1)} s`,
      );
      resolve({ code, output });
    });
  });
}

function finish(code) {
  console.log(`\ntests: ${totals.passed} passed, ${totals.failed} failed`);
  process.exit(code);
}

const tsc = join('node_modules', 'typescript', 'bin', 'tsc');
const eslint = join('node_modules', 'eslint', 'bin', 'eslint.js');
if ((await run('type-check', node, [tsc, '--noEmit', '-p', '.'])).code !== 0) finish(1);
if ((await run('lint', node, [eslint, 'src', 'test', 'scripts'])).code !== 0) finish(1);

// The chat view's browser test (a unit test) uses the host runner's Chromium and
// playwright-core, so they are installed first; --skip-host leaves them out and that test skips.
if (!skipHost) {
  console.log('\n=== browser and code-server for the browser and host tests');
  await ensureDebianPackages();
  await ensureCodeServer();
}

const unitFiles = readdirSync('test/unit')
  .filter((f) => f.endsWith('.test.ts'))
  .map((f) => join('test/unit', f));
const tapDir = mkdtempSync(join(tmpdir(), 'unit-'));
const tapFile = join(tapDir, 'unit.tap');
const unit = await run('unit tests', node, [
  '--import',
  'tsx',
  '--test',
  '--test-reporter=spec',
  '--test-reporter-destination=stdout',
  '--test-reporter=tap',
  `--test-reporter-destination=${tapFile}`,
  ...unitFiles,
]);
const tap = readFileSync(tapFile, 'utf8');
totals.passed += Number(/^# pass (\d+)/m.exec(tap)?.[1] ?? 0);
totals.failed += Number(/^# fail (\d+)/m.exec(tap)?.[1] ?? 0);
if (unit.code !== 0) finish(1);

if (!skipHost) {
  const host = await run('extension-host tests', node, ['scripts/host/run.mjs'], { capture: true });
  const line = /host: (\d+) passed, (\d+) failed/.exec(host.output);
  totals.passed += Number(line?.[1] ?? 0);
  totals.failed += Number(line?.[2] ?? 0);
  if (host.code !== 0 || !line) finish(1);
}
finish(totals.failed === 0 ? 0 : 1);
