// `npm run bench`: the performance figures, as a table a person can compare between runs and
// machines. A benchmark, not a test: it asserts nothing about timing, it prints.
//
//   npm run bench                        5 runs of everything (about 3 minutes)
//   npm run bench -- --runs 3 --idle-seconds 5
//   npm run bench -- --quick             2 runs, 2 s idle: to check that it works
//
// What it does: packs the .vsix (which builds the production bundle), copies the bundle to
// .bench/ so a concurrent build cannot swap it mid-run, makes a self-signed certificate for
// the emulator (openssl), then runs each measurement in fresh Node processes:
//   activation  bench/activation-child.mjs  bare node + a vscode stand-in (not VS Code)
//   detection, idle  bench/editor.ts        the bundle, driven through its own commands
//   dispatch    bench/dispatch.ts           notifier + delivery queue + Bot API client
//   burst       bench/burst.ts              the same, with Telegram's flood limits
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { repoRoot } from './bench/common';
import { type Row, formatNumber, median, percentile, table } from './bench/figures';
import { makeLoopbackCert } from './bench/tls';

const { values: flags } = parseArgs({
  options: {
    runs: { type: 'string' },
    'idle-seconds': { type: 'string' },
    messages: { type: 'string', default: '200' },
    quick: { type: 'boolean', default: false },
  },
});
const runs = Number(flags.runs ?? (flags.quick ? 2 : 5));
const idleMs = 1000 * Number(flags['idle-seconds'] ?? (flags.quick ? 2 : 10));
const messages = Number(flags.messages);

const workDir = join(repoRoot, '.bench');
const distCopy = join(workDir, 'dist');
const say = (text: string) => process.stderr.write(`[bench] ${text}\n`);

function main(): void {
  rmSync(workDir, { recursive: true, force: true });
  mkdirSync(distCopy, { recursive: true });
  const sizes = packageAndCopy();
  const cert = makeLoopbackCert(workDir);
  const env = workerEnv(cert);

  say(`activation: ${runs} cold starts`);
  const activation = repeat(() => worker(env, ['scripts/bench/activation-child.mjs', tempDir()]));
  say(`detection and idle: ${runs} × (setup, detect, ${idleMs / 1000} s idle)`);
  const editor = repeat(() =>
    tsWorker(env, ['scripts/bench/editor.ts', '1', String(idleMs)]),
  ) as EditorResult[];
  say(`dispatch: ${runs} × ${messages} messages, then the baseline`);
  const dispatch = repeat((i) =>
    tsWorker(env, ['scripts/bench/dispatch.ts', String(messages), i % 2 ? 'baseline-first' : '']),
  ) as DispatchResult[];
  say(`burst: ${runs} × ${messages} events in 10 s to one group`);
  const burst = repeat(() =>
    tsWorker(env, ['scripts/bench/burst.ts', String(messages), '10000']),
  ) as BurstResult[];

  printReport(sizes, activation as ActivationResult[], editor, dispatch, burst);
  rmSync(workDir, { recursive: true, force: true });
}

interface ActivationResult {
  loadMs: number;
  activateMs: number;
  transportLoaded: boolean;
  commands: number;
}
interface EditorResult {
  detectionMs: number[];
  idle: {
    requests: number;
    fired: { extension: number; transport: number };
    pending: { owner: string; everyMs?: number; afterMs: number; keepsAlive: boolean }[];
  };
  tokenInLog: boolean;
}
interface DispatchResult {
  extension: number[];
  baseline: number[];
  refused: number;
}
interface BurstResult {
  sent: number;
  calls: number;
  tooMany: number;
  lastVerdictMs: number;
  missing: number;
}
interface Sizes {
  main: number;
  transport: number;
  vsix: number;
}

/** Packs the .vsix (a production build first) and keeps a private copy of the bundle. */
function packageAndCopy(): Sizes {
  say('packaging (production build + .vsix)');
  const vsix = join(workDir, 'bench.vsix');
  try {
    execFileSync(process.execPath, ['scripts/package.mjs', '--out', vsix], {
      cwd: repoRoot,
      stdio: 'pipe',
    });
  } catch (err) {
    const output = err as { stdout?: Buffer; stderr?: Buffer };
    process.stderr.write(`${output.stdout ?? ''}${output.stderr ?? ''}`);
    throw new Error('npm run package failed');
  }
  for (const file of ['extension.js', 'transport.js']) {
    copyFileSync(join(repoRoot, 'dist', file), join(distCopy, file));
  }
  if (readFileSync(join(distCopy, 'extension.js'), 'utf8').includes('sourceMappingURL')) {
    say('warning: dist/ was rebuilt for development meanwhile; figures are not for production');
  }
  return {
    main: statSync(join(distCopy, 'extension.js')).size,
    transport: statSync(join(distCopy, 'transport.js')).size,
    vsix: statSync(vsix).size,
  };
}

/** The workers' environment: the bundle copy, the certificate trusted, no proxy. */
function workerEnv(cert: { key: string; cert: string }): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of Object.keys(env)) if (/^(https?|all|no)_proxy$/i.test(name)) delete env[name];
  return {
    ...env,
    BENCH_DIST: distCopy,
    BENCH_TLS_KEY: cert.key,
    BENCH_TLS_CERT: cert.cert,
    NODE_EXTRA_CA_CERTS: cert.cert,
  };
}

let temps = 0;
function tempDir(): string {
  const dir = join(workDir, `storage-${++temps}`);
  mkdirSync(dir, { recursive: true });
  return dir;
}

function repeat(fn: (i: number) => object): object[] {
  return Array.from({ length: runs }, (_, i) => fn(i));
}

function tsWorker(env: NodeJS.ProcessEnv, args: string[]): object {
  return worker(env, ['--import', 'tsx', ...args]);
}

/** Runs one worker in a fresh Node process and returns what its BENCH-RESULT line says. */
function worker(env: NodeJS.ProcessEnv, args: string[]): object {
  const output = execFileSync(process.execPath, args, {
    cwd: repoRoot,
    env,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    timeout: 120_000,
  });
  const line = output.split('\n').find((l) => l.startsWith('BENCH-RESULT '));
  if (!line) throw new Error(`${args.join(' ')} printed no result:\n${output}`);
  return JSON.parse(line.slice('BENCH-RESULT '.length)) as object;
}

const KB = 1024;
const below = (limit: number) => (value: number) => value < limit;
const zero = (value: number) => value === 0;

function printReport(
  sizes: Sizes,
  activation: ActivationResult[],
  editor: EditorResult[],
  dispatch: DispatchResult[],
  burst: BurstResult[],
): void {
  const ours = dispatch.map((d) => d.extension);
  const plain = dispatch.map((d) => d.baseline);
  const pendingTimers = editor.map((e) => e.idle.pending.length);
  const rows: Row[] = [
    {
      name: 'Activation: activate() (stand-in vscode)',
      values: activation.map((a) => a.activateMs),
      unit: 'ms',
      target: '< 5',
      meets: below(5),
    },
    {
      name: 'Activation: load bundle + activate()',
      values: activation.map((a) => a.loadMs + a.activateMs),
      unit: 'ms',
    },
    {
      name: 'Activation: HTTP stack loaded',
      values: activation.map((a) => (a.transportLoaded ? 1 : 0)),
      unit: '0/1',
      target: '0',
      meets: zero,
    },
    {
      name: 'Main bundle dist/extension.js',
      values: [sizes.main / KB],
      unit: 'KB',
      target: '< 100',
      meets: below(100),
    },
    { name: 'Lazy transport dist/transport.js', values: [sizes.transport / KB], unit: 'KB' },
    {
      name: `Idle ${idleMs / 1000} s: requests`,
      values: editor.map((e) => e.idle.requests),
      unit: 'count',
      target: '0',
      meets: zero,
    },
    {
      name: `Idle ${idleMs / 1000} s: timer callbacks run`,
      values: editor.map((e) => e.idle.fired.extension + e.idle.fired.transport),
      unit: 'count',
      target: '0',
      meets: zero,
    },
    {
      name: 'Idle: timers pending',
      values: pendingTimers,
      unit: 'count',
      target: '0',
      meets: zero,
    },
    {
      name: `Dispatch p50 (${messages} msgs, keep-alive)`,
      values: ours.map((l) => percentile(l, 50)),
      unit: 'ms',
      target: '< 2',
      meets: below(2),
    },
    { name: 'Dispatch p95', values: ours.map((l) => percentile(l, 95)), unit: 'ms' },
    { name: 'Dispatch first message (cold)', values: ours.map((l) => l[0]), unit: 'ms' },
    {
      name: 'Baseline p50 (new TLS conn per msg)',
      values: plain.map((l) => percentile(l, 50)),
      unit: 'ms',
    },
    { name: 'Baseline p95', values: plain.map((l) => percentile(l, 95)), unit: 'ms' },
    { name: `Burst: messages sent`, values: burst.map((b) => b.sent), unit: 'count' },
    {
      name: 'Burst: 429s received',
      values: burst.map((b) => b.tooMany),
      unit: 'count',
      target: '0',
      meets: zero,
    },
    {
      name: 'Burst: last verdict delivered',
      values: burst.map((b) => b.lastVerdictMs / 1000),
      unit: 's',
    },
    {
      name: 'Burst: verdicts missing',
      values: burst.map((b) => b.missing),
      unit: 'count',
      target: '0',
      meets: zero,
    },
    {
      name: 'Detection: code at emulator → pinned',
      values: editor.flatMap((e) => e.detectionMs),
      unit: 'ms',
    },
    { name: 'Package .vsix', values: [sizes.vsix / KB], unit: 'KB' },
  ];

  const cpu = cpus()[0]?.model.trim() ?? 'unknown CPU';
  console.log(`Telegram Notifier benchmark: ${runs} run(s) each, Node ${process.version},`);
  console.log(`${cpus().length} × ${cpu}, ${new Date().toISOString()}`);
  console.log('');
  console.log(table(rows));
  console.log('');
  for (const line of notes(editor, dispatch, burst)) console.log(line);
}

function notes(editor: EditorResult[], dispatch: DispatchResult[], burst: BurstResult[]): string[] {
  const timers = editor[0]?.idle.pending ?? [];
  const timerList = timers
    .map((t) => `every ${(t.everyMs ?? t.afterMs) / 1000} s${t.keepsAlive ? '' : ' (unref)'}`)
    .join(', ');
  const ours = median(dispatch.map((d) => percentile(d.extension, 50)));
  const plain = median(dispatch.map((d) => percentile(d.baseline, 50)));
  const refused = dispatch.reduce((n, d) => n + d.refused, 0);
  const calls = median(burst.map((b) => b.calls));
  const leaked = editor.some((e) => e.tokenInLog) ? 'YES' : 'no';
  return [
    'Notes:',
    '- Activation: the production bundle in bare Node with a stand-in `vscode` module made by the',
    '  bench (scripts/bench/stand-in.mjs), NOT in VS Code. It counts the extension’s own code, not',
    '  the editor’s work around it. Each run is a fresh process (cold require).',
    '- Everything that talks to the Bot API runs on loopback over TLS (self-signed RSA 2048,',
    '  trusted through NODE_EXTRA_CA_CERTS); a real network adds its round trip to each figure.',
    `- Dispatch: keep-alive p50 ${formatNumber(ours)} ms against ${formatNumber(plain)} ms with a new`,
    `  connection per message (${formatNumber(plain / ours)}×). Flood limits lifted for dispatch;`,
    `  answers other than 200 during dispatch: ${refused}.`,
    `- Burst: ${formatNumber(calls)} sendMessage calls (median); after the first few, waiting`,
    '  messages go out as digests that keep every verdict line.',
    `- Idle: the extension's timers after setup: ${timerList || 'none'}.`,
    `- The bot token in the extension's log or notices: ${leaked}.`,
  ];
}

main();
