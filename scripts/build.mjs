// Bundles the extension (and, with --tests, the extension-host test suite) with esbuild.
// `vscode` is provided by the editor at run time; mocha is loaded from node_modules by the
// host test runner, so both stay external.
import { build } from 'esbuild';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

const production = process.argv.includes('--production');
const withTests = process.argv.includes('--tests');

const common = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  logLevel: 'warning',
};

await build({
  ...common,
  entryPoints: ['src/extension.ts'],
  outfile: 'dist/extension.js',
  external: ['vscode'],
  minify: production,
  sourcemap: production ? false : 'linked',
});

// The HTTP stack is its own file, required on the first request (see src/vscode/telegram.ts).
await build({
  ...common,
  entryPoints: ['src/core/undici-transport.ts'],
  outfile: 'dist/transport.js',
  minify: production,
  sourcemap: production ? false : 'linked',
});

if (withTests) {
  const suiteDir = 'test/host/suite';
  const suites = readdirSync(suiteDir)
    .filter((f) => f.endsWith('.test.ts'))
    .map((f) => join(suiteDir, f));
  await build({
    ...common,
    // emulator-process.ts: the emulator in a process of its own, for tests that reload.
    entryPoints: ['test/host/index.ts', 'test/host/emulator-process.ts', ...suites],
    outdir: 'out/test/host',
    outbase: 'test/host',
    external: ['vscode', 'mocha'],
    sourcemap: 'inline',
  });
}
