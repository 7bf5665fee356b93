// The other runner: desktop VS Code downloaded by @vscode/test-electron. Needs internet
// (Microsoft's update server); same mocha entry, same scenarios, same environment.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * VS Code version to download; defaults to the one code-server 4.100.3 bundles so both
 * runners test the same editor. `VSCODE_TEST_VERSION=stable` tracks the newest release.
 */
const vscodeVersion = process.env.VSCODE_TEST_VERSION ?? '1.100.3';

/**
 * Downloads (or finds in .vscode-test/) desktop VS Code once, before any scenario, so a
 * machine without internet fails early with one clear message.
 * @returns {Promise<string>} the executable
 */
export async function ensureElectron() {
  const { downloadAndUnzipVSCode } = await import('@vscode/test-electron');
  try {
    return await downloadAndUnzipVSCode({ version: vscodeVersion });
  } catch (error) {
    throw new Error(`@vscode/test-electron could not get VS Code ${vscodeVersion} (it needs ` +
      `internet; the default code-server runner does not): ${error}`);
  }
}

/**
 * Runs one scenario in desktop VS Code. The extension host's output goes straight to our
 * stdout (test-electron pipes it), so the counts come from a result file that the mocha
 * entry writes when HOST_TEST_RESULT_FILE is set.
 * @param {object} options
 * @param {import('./scenarios.mjs').Prepared} options.dirs
 * @param {Record<string, string>} options.env
 * @param {string} [options.locale]
 * @param {string} options.extensionPath
 * @param {string} options.testsPath
 * @param {string} options.executable from ensureElectron()
 * @returns {Promise<{ exitCode: number, lines: string[] }>} `lines` holds the result line
 */
export async function runElectron({ dirs, env, locale, extensionPath, testsPath, executable }) {
  const { runTests } = await import('@vscode/test-electron');
  const resultFile = join(dirs.root, 'host-result.json');
  let exitCode;
  try {
    exitCode = await runTests({
      vscodeExecutablePath: executable,
      extensionDevelopmentPath: extensionPath,
      extensionTestsPath: testsPath,
      extensionTestsEnv: { ...env, HOST_TEST_RESULT_FILE: resultFile },
      launchArgs: [
        dirs.workspace,
        '--user-data-dir', dirs.userDataDir,
        '--extensions-dir', dirs.extensionsDir,
        '--disable-workspace-trust',
        ...(locale ? ['--locale', locale] : []),
      ],
    });
  } catch (error) {
    // runTests rejects with TestRunFailedError when VS Code exits non-zero.
    console.error(String(error));
    exitCode = 1;
  }
  const lines = existsSync(resultFile) ? [readFileSync(resultFile, 'utf8').trim()] : [];
  return { exitCode, lines };
}
