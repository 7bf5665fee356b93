// Mocha entry for the extension-host suite. Both runners (code-server and test-electron)
// load the bundled out/test/host/index.js and call run() inside the extension host.
// mocha stays external in the bundle: it resolves from the repo's node_modules at run time.
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Mocha from 'mocha';

/** Counts the runner parses from the `HOST-RESULT {...}` line. */
interface HostResult {
  passed: number;
  failed: number;
  pending: number;
}

/**
 * Runs every `suite/*.test.js` next to this file with the TDD interface (`suite`, `test`).
 * Honours `HOST_TEST_GREP` (a regular expression over full test titles) and
 * `HOST_TEST_GREP_INVERT=1`. Logs one machine-readable `HOST-RESULT` line, also written to
 * `HOST_TEST_RESULT_FILE` when set, and rejects when any test failed.
 */
export async function run(): Promise<void> {
  const mocha = createMocha();
  const suiteDir = join(__dirname, 'suite');
  for (const file of readdirSync(suiteDir).filter((f) => f.endsWith('.test.js')).sort()) {
    mocha.addFile(join(suiteDir, file));
  }

  const result = await runMocha(mocha);
  reportResult(result);
  if (result.failed > 0) throw new Error(`${result.failed} host test(s) failed`);
}

/** Generous timeouts: the host is shared with the workbench, tasks and debug adapters. */
function createMocha(): Mocha {
  // No colour: the output travels through the workbench's log hook, not a terminal.
  const mocha = new Mocha({ ui: 'tdd', timeout: 60_000, slow: 10_000, color: false });
  const grep = process.env.HOST_TEST_GREP;
  if (grep) {
    mocha.grep(new RegExp(grep));
    if (process.env.HOST_TEST_GREP_INVERT === '1') mocha.invert();
  }
  return mocha;
}

/** Runs mocha and collects the counts from its stats once it ends. */
function runMocha(mocha: Mocha): Promise<HostResult> {
  return new Promise((resolve) => {
    const runner = mocha.run((failures) => {
      const stats = runner.stats;
      resolve({
        passed: stats?.passes ?? 0,
        failed: Math.max(failures, stats?.failures ?? 0),
        pending: stats?.pending ?? 0,
      });
    });
  });
}

/** One line the runners parse; the file covers test-electron, whose output is not hooked. */
function reportResult(result: HostResult): void {
  const line = `HOST-RESULT ${JSON.stringify(result)}`;
  console.log(line);
  const file = process.env.HOST_TEST_RESULT_FILE;
  if (file) writeFileSync(file, `${line}\n`);
}
