// Scenarios: which fixture workspace, settings, environment, display language and test
// filter one run of the extension host gets. Defined in test/host/scenarios.json.
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { repoRoot } from './util.mjs';

/**
 * @typedef {object} Scenario
 * @property {string} name unique; selects it with `--scenario NAME`
 * @property {string} [description]
 * @property {string} fixture workspace folder to copy, relative to the repo root
 * @property {Record<string, unknown>} [settings] extra user settings
 * @property {Record<string, string>} [env] extra environment for the extension host
 * @property {string} [locale] display language, e.g. "zh-cn"
 * @property {string} [grep] only tests whose full title matches this regular expression
 * @property {boolean} [invert] run the tests that do NOT match `grep` instead
 * @property {number} [timeoutSeconds] overall limit for the scenario (default 600)
 */

/**
 * @typedef {object} Prepared the folders one scenario run uses, all fresh
 * @property {string} root temp folder holding the rest; deleted after a passing run
 * @property {string} workspace copy of the fixture, opened as the workspace folder
 * @property {string} userDataDir editor user data (settings, logs, global storage)
 * @property {string} extensionsDir empty, so no installed extension interferes
 * @property {string} artifactsDir .vscode-test/artifacts/<name>/, kept after the run
 */

/** Settings every scenario starts from; scenario `settings` are merged over them. */
const baseSettings = {
  'workbench.startupEditor': 'none',
  'security.workspace.trust.enabled': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'git.enabled': false,
};

export const scenariosFile = join(repoRoot, 'test', 'host', 'scenarios.json');

/**
 * Reads and checks the scenario list.
 * @returns {Scenario[]}
 */
export function loadScenarios() {
  const { scenarios } = JSON.parse(readFileSync(scenariosFile, 'utf8'));
  if (!Array.isArray(scenarios) || scenarios.length === 0) {
    throw new Error(`${scenariosFile}: expected a non-empty "scenarios" array`);
  }
  const seen = new Set();
  for (const scenario of scenarios) {
    if (typeof scenario.name !== 'string' || seen.has(scenario.name)) {
      throw new Error(`${scenariosFile}: every scenario needs a unique "name"`);
    }
    seen.add(scenario.name);
    if (!existsSync(resolve(repoRoot, scenario.fixture ?? ''))) {
      throw new Error(`scenario ${scenario.name}: fixture folder "${scenario.fixture}" not found`);
    }
  }
  return scenarios;
}

/**
 * Picks the scenarios named on the command line, all of them when none is named.
 * @param {Scenario[]} all
 * @param {string[]} names
 */
export function selectScenarios(all, names) {
  if (names.length === 0) return all;
  const unknown = names.filter((name) => !all.some((s) => s.name === name));
  if (unknown.length > 0) {
    const known = all.map((s) => s.name).join(', ');
    throw new Error(`unknown scenario ${unknown.join(', ')}; known: ${known}`);
  }
  return all.filter((s) => names.includes(s.name));
}

/**
 * Creates the fresh folders for one run: a copy of the fixture (tests may modify it), a
 * user-data-dir with settings, an empty extensions dir and a cleared artifacts dir.
 * @param {Scenario} scenario
 * @returns {Prepared}
 */
export function prepareScenario(scenario) {
  const root = mkdtempSync(join(tmpdir(), `host-test-${scenario.name}-`));
  const workspace = join(root, 'workspace');
  cpSync(resolve(repoRoot, scenario.fixture), workspace, { recursive: true });
  const userDataDir = join(root, 'user-data');
  mkdirSync(join(userDataDir, 'User'), { recursive: true });
  const settings = { ...baseSettings, ...scenario.settings };
  writeFileSync(join(userDataDir, 'User', 'settings.json'), JSON.stringify(settings, null, 2));
  const extensionsDir = join(root, 'extensions');
  mkdirSync(extensionsDir);
  const artifactsDir = join(repoRoot, '.vscode-test', 'artifacts', scenario.name);
  rmSync(artifactsDir, { recursive: true, force: true });
  mkdirSync(artifactsDir, { recursive: true });
  return { root, workspace, userDataDir, extensionsDir, artifactsDir };
}

/**
 * The environment variables the extension host (and so every test) receives.
 * @param {Scenario} scenario
 * @param {Prepared} dirs
 * @param {{ runner: string, grep?: string }} options `grep` from the command line wins
 * @returns {Record<string, string>}
 */
export function hostTestEnv(scenario, dirs, options) {
  const fromCli = options.grep !== undefined;
  const grep = fromCli ? options.grep : scenario.grep;
  /** @type {Record<string, string>} */
  const env = {
    ...scenario.env,
    HOST_TEST_SCENARIO: scenario.name,
    HOST_TEST_RUNNER: options.runner,
    HOST_TEST_WORKSPACE: dirs.workspace,
    HOST_TEST_USER_DATA_DIR: dirs.userDataDir,
    HOST_TEST_ARTIFACTS: dirs.artifactsDir,
  };
  if (grep) env.HOST_TEST_GREP = grep;
  // A scenario's inverted filter ("everything but ...") makes no sense with a CLI grep.
  if (grep && !fromCli && scenario.invert) env.HOST_TEST_GREP_INVERT = '1';
  if (scenario.locale) env.HOST_TEST_LOCALE = scenario.locale;
  return env;
}

/**
 * Keeps the user data's logs (they hold the extension's output-channel log) in the
 * artifacts folder, then deletes the temp folder unless the run failed.
 * @param {Prepared} dirs
 * @param {boolean} keep leave the temp folder for inspection
 */
export function finishScenario(dirs, keep) {
  const logs = join(dirs.userDataDir, 'logs');
  if (existsSync(logs)) cpSync(logs, join(dirs.artifactsDir, 'logs'), { recursive: true });
  if (!keep) rmSync(dirs.root, { recursive: true, force: true });
}
