#!/usr/bin/env node
// Runs the mocha suite out/test/host/index.js inside a real VS Code extension host, once per
// scenario (test/host/scenarios.json). Default runner: code-server + Debian Chromium (works
// offline; installs itself on first use). `--runner electron`: @vscode/test-electron.
// See test/host/README.md.
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { startCodeServer } from './code-server.mjs';
import { ensureElectron, runElectron } from './electron.mjs';
import { ensureCodeServer, ensureDebianPackages } from './install.mjs';
import { finishScenario, hostTestEnv, loadScenarios, prepareScenario } from './scenarios.mjs';
import { selectScenarios } from './scenarios.mjs';
import { freePort, repoRoot, run, say, since } from './util.mjs';
import { runWorkbench } from './workbench.mjs';

const usage = `usage: node scripts/host/run.mjs [options]
  --scenario NAME   run only this scenario (repeatable; default: all)
  --runner NAME     code-server (default) or electron; env VSCODE_TEST_RUNNER
  --grep REGEXP     only tests whose full title matches (replaces the scenario's grep)
  --timeout SECONDS overall limit per scenario (default: scenario's, else 600)
  --no-build        skip "node scripts/build.mjs --tests"
  --keep            keep each scenario's temp folder (kept anyway when it fails)`;

/** The extension under test: the repo root, whose package.json says main: ./dist/... */
const extensionPath = repoRoot;

/** The bundled mocha entry; both runners load this same file. */
const testsPath = join(repoRoot, 'out', 'test', 'host', 'index.js');

/** Matches the line test/host/index.ts logs when mocha finishes. */
const resultPattern = /^HOST-RESULT (\{.*\})\s*$/;

/**
 * @typedef {object} Outcome
 * @property {string} name
 * @property {boolean} ok
 * @property {number} passed
 * @property {number} failed
 * @property {string} detail
 */

/** Stops whatever is running when the runner is interrupted. */
const cleanups = new Set();

await main().catch((error) => {
  console.error(`[host] error: ${error instanceof Error ? error.message : error}`);
  // Same rule as for a scenario that never reported: a broken run reads as a failure.
  console.log('host: 0 passed, 1 failed');
  process.exitCode = 1;
});

async function main() {
  const options = parseCli();
  const scenarios = selectScenarios(loadScenarios(), options.scenarios);
  handleSignals();
  if (options.build) await build();
  if (!existsSync(testsPath)) throw new Error(`${testsPath} missing; drop --no-build`);
  if (options.runner === 'code-server') {
    await ensureDebianPackages();
    await ensureCodeServer();
  } else {
    options.executable = await ensureElectron();
  }

  const started = Date.now();
  /** @type {Outcome[]} */
  const outcomes = [];
  for (const scenario of scenarios) outcomes.push(await runScenario(scenario, options));
  report(outcomes, started);
}

/** Parses the command line; `VSCODE_TEST_RUNNER` picks the runner when no flag does. */
function parseCli() {
  const { values } = parseArgs({
    options: {
      scenario: { type: 'string', multiple: true, default: [] },
      runner: { type: 'string', default: process.env.VSCODE_TEST_RUNNER || 'code-server' },
      grep: { type: 'string' },
      timeout: { type: 'string' },
      'no-build': { type: 'boolean', default: false },
      keep: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    console.log(usage);
    process.exit(0);
  }
  if (!['code-server', 'electron'].includes(values.runner)) {
    throw new Error(`unknown runner "${values.runner}"\n${usage}`);
  }
  return {
    scenarios: values.scenario.flatMap((s) => s.split(',')).filter(Boolean),
    runner: values.runner,
    grep: values.grep,
    timeoutSeconds: values.timeout ? Number(values.timeout) : undefined,
    build: !values['no-build'],
    keep: values.keep,
    /** @type {string | undefined} set by ensureElectron() for the electron runner */
    executable: undefined,
  };
}

/** Bundles the extension and the host suite, as CI would. */
async function build() {
  const started = Date.now();
  say('building: node scripts/build.mjs --tests');
  await run(process.execPath, ['scripts/build.mjs', '--tests'], { cwd: repoRoot });
  say(`built in ${since(started)}`);
}

/**
 * Runs one scenario end to end and never throws: a crash becomes a failed outcome, so the
 * remaining scenarios still run and the totals still print.
 * @param {import('./scenarios.mjs').Scenario} scenario
 * @param {ReturnType<typeof parseCli>} options
 * @returns {Promise<Outcome>}
 */
async function runScenario(scenario, options) {
  const started = Date.now();
  say(`scenario ${scenario.name}: starting (${options.runner})`);
  const dirs = prepareScenario(scenario);
  const env = hostTestEnv(scenario, dirs, options);
  const timeoutMs = 1000 * (options.timeoutSeconds ?? scenario.timeoutSeconds ?? 600);
  let result;
  let error;
  try {
    const args = { scenario, dirs, env, timeoutMs, executable: options.executable };
    result = options.runner === 'electron' ? await runElectronScenario(args)
      : await runCodeServerScenario(args);
  } catch (caught) {
    error = caught instanceof Error ? caught.message : String(caught);
  }
  const outcome = judge(scenario.name, result, error);
  finishScenario(dirs, options.keep || !outcome.ok);
  const kept = options.keep || !outcome.ok ? `; temp folder kept: ${dirs.root}` : '';
  say(`scenario ${scenario.name}: ${outcome.ok ? 'PASSED' : 'FAILED'} - ${outcome.detail}` +
    ` in ${since(started)}; artifacts: ${dirs.artifactsDir}${kept}`);
  return outcome;
}

/**
 * code-server on a free port, then the workbench in Chromium. code-server's log is saved
 * whatever happens; the process group is stopped whatever happens.
 * @param {{ scenario: any, dirs: any, env: Record<string, string>, timeoutMs: number }} args
 */
async function runCodeServerScenario({ scenario, dirs, env, timeoutMs }) {
  const port = await freePort();
  const started = Date.now();
  const server = await startCodeServer({ port, dirs, env, locale: scenario.locale });
  cleanups.add(server.stop);
  say(`scenario ${scenario.name}: code-server listening on ${port} after ${since(started)}`);
  try {
    return await runWorkbench({
      server, dirs, extensionPath, testsPath, timeoutMs, onLine: (line) => console.log(line),
    });
  } finally {
    writeFileSync(join(dirs.artifactsDir, 'code-server.log'), server.log());
    await server.stop();
    cleanups.delete(server.stop);
  }
}

/**
 * test-electron has no timeout of its own; VS Code exits when run() settles.
 * @param {{ scenario: any, dirs: any, env: Record<string, string>, executable?: string }} args
 */
async function runElectronScenario({ scenario, dirs, env, executable }) {
  const locale = scenario.locale;
  return runElectron({ dirs, env, locale, extensionPath, testsPath, executable });
}

/**
 * Turns a run into an outcome. A scenario that never reported counts (the host crashed,
 * timed out, or mocha never started) counts as one failed test, so the totals line can
 * never read "0 failed" for a broken run.
 * @param {string} name
 * @param {{ exitCode: number, lines: string[] } | undefined} result
 * @param {string | undefined} error
 * @returns {Outcome}
 */
function judge(name, result, error) {
  const counts = result ? parseCounts(result.lines) : undefined;
  if (error || !result || !counts) {
    const why = error ?? `no HOST-RESULT line (exit code ${result?.exitCode})`;
    return { name, ok: false, passed: counts?.passed ?? 0, failed: 1, detail: why };
  }
  const ok = result.exitCode === 0 && counts.failed === 0;
  const none = counts.passed + counts.failed === 0 ? ' (no test matched its filter)' : '';
  const detail = `${counts.passed} passed, ${counts.failed} failed${none}`;
  return { name, ok, ...counts, detail };
}

/**
 * @param {string[]} lines
 * @returns {{ passed: number, failed: number } | undefined} from the last HOST-RESULT line
 */
function parseCounts(lines) {
  const match = lines.map((line) => resultPattern.exec(line.trim())).filter(Boolean).at(-1);
  if (!match) return undefined;
  const { passed, failed } = JSON.parse(match[1]);
  return { passed: Number(passed), failed: Number(failed) };
}

/**
 * Prints one line per scenario, an overall line, and last the machine-readable totals.
 * @param {Outcome[]} outcomes
 * @param {number} started
 */
function report(outcomes, started) {
  const passed = outcomes.reduce((sum, o) => sum + o.passed, 0);
  const failed = outcomes.reduce((sum, o) => sum + o.failed, 0);
  const bad = outcomes.filter((o) => !o.ok);
  console.log('');
  for (const o of outcomes) say(`${o.ok ? 'ok  ' : 'FAIL'} ${o.name}: ${o.detail}`);
  say(`${bad.length === 0 ? 'all scenarios passed' : `${bad.length} scenario(s) failed`}` +
    ` (${outcomes.length} run, ${since(started)})`);
  console.log(`host: ${passed} passed, ${failed} failed`);
  process.exitCode = bad.length === 0 ? 0 : 1;
}

/** Ctrl-C or a CI cancel: stop code-server's process group before exiting. */
function handleSignals() {
  for (const signal of /** @type {const} */ (['SIGINT', 'SIGTERM'])) {
    process.once(signal, () => {
      say(`${signal}: stopping`);
      void Promise.allSettled([...cleanups].map((stop) => stop())).then(() => process.exit(130));
    });
  }
}
