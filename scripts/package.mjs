// Builds the production bundle and packs it into a .vsix. The bundle already holds undici,
// so node_modules is not packed (--no-dependencies); .vscodeignore keeps everything else out.
// Usage: node scripts/package.mjs [--out FILE]
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

const manifest = JSON.parse(readFileSync('package.json', 'utf8'));
const outIndex = process.argv.indexOf('--out');
const out = outIndex > 0 ? process.argv[outIndex + 1] : `${manifest.name}-${manifest.version}.vsix`;

execFileSync(process.execPath, ['scripts/build.mjs', '--production'], { stdio: 'inherit' });
const vsce = 'node_modules/@vscode/vsce/vsce';
execFileSync(
  process.execPath,
  [vsce, 'package', '--no-dependencies', '--allow-missing-repository', '--no-rewrite-relative-links', '--out', out],
  { stdio: 'inherit' },
);
console.log(`packaged ${out}`);
