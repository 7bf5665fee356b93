// One cold activation of the production bundle in a fresh `node` process, with the vscode
// stand-in: how long `require('dist/extension.js')` and `activate()` take, and whether the
// HTTP stack (dist/transport.js) stayed unloaded. Prints one `BENCH-RESULT {json}` line.
// Run by scripts/bench.ts as: node scripts/bench/activation-child.mjs STORAGE_DIR, with
// BENCH_DIST naming the folder that holds the bundle (default: dist/).
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { createStandIn, installStandIn } from './stand-in.mjs';

const repoRoot = join(import.meta.dirname, '..', '..');
const standIn = createStandIn({ storageDir: process.argv[2] });
installStandIn(standIn.vscode);
const require = createRequire(import.meta.url);
const bundle = join(process.env.BENCH_DIST || join(repoRoot, 'dist'), 'extension.js');

const t0 = performance.now();
const extension = require(bundle);
const t1 = performance.now();
extension.activate(standIn.context);
const t2 = performance.now();

const loaded = Object.keys(require.cache);
const result = {
  loadMs: t1 - t0,
  activateMs: t2 - t1,
  transportLoaded: loaded.some((file) => file.endsWith('transport.js')),
  commands: standIn.commandNames().length,
};
for (const item of standIn.context.subscriptions) item.dispose?.();
console.log(`BENCH-RESULT ${JSON.stringify(result)}`);
process.exit(0);
