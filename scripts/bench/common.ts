/**
 * What the benchmark's workers share: the repo's paths, the production HTTP transport, an
 * emulator on loopback over TLS, finished-task events, and the one line a worker reports.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BotApiClient } from '../../src/core/bot-api';
import type { FinishedRun } from '../../src/core/events';
import type { FilterContext, FilterSettings } from '../../src/core/filter';
import type { HttpTransport } from '../../src/core/transport';
import { type Emulator, type EmulatorOptions, startEmulator } from '../../test/emulator';

export const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

/** A bot token of the right shape for the emulator; it never leaves loopback. */
export const BENCH_TOKEN = `5150515051:AAH${'benchBENCHbench'.repeat(3).slice(0, 32)}`;

/** Environment variables through which bench.ts hands the certificate to its workers. */
export const TLS_ENV = { key: 'BENCH_TLS_KEY', cert: 'BENCH_TLS_CERT' } as const;

/**
 * The folder holding the production bundle under test: a copy bench.ts takes right after
 * building, so a build by someone else meanwhile (dist/ is shared) cannot change it mid-run.
 */
export function benchDist(): string {
  return process.env.BENCH_DIST || join(repoRoot, 'dist');
}

type TransportModule = typeof import('../../src/core/undici-transport');

/**
 * The shipped HTTP stack: transport.js of the production build, loaded the way the
 * extension loads it (a plain require on first use). The client trusts the bench's
 * self-signed certificate through NODE_EXTRA_CA_CERTS, set by bench.ts.
 */
export function loadTransport(): TransportModule {
  const require = createRequire(import.meta.url);
  return require(join(benchDist(), 'transport.js')) as TransportModule;
}

/**
 * The Bot API client the delivery queue asks for, as the extension makes it: the shipped
 * transport is loaded on the first send (not before), then reused with keep-alive.
 */
export function lazyBenchApi(emu: Emulator): {
  api: () => Promise<BotApiClient>;
  close: () => Promise<void>;
} {
  let transport: HttpTransport | undefined;
  return {
    api: async () => {
      transport ??= loadTransport().createUndiciTransport({ useEnvironment: false });
      return new BotApiClient({ token: BENCH_TOKEN, baseUrl: emu.url, transport });
    },
    close: async () => transport?.close(),
  };
}

/** An emulator serving HTTPS with the certificate bench.ts generated. */
export function startTlsEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const keyFile = process.env[TLS_ENV.key];
  const certFile = process.env[TLS_ENV.cert];
  if (!keyFile || !certFile) throw new Error('run workers through scripts/bench.ts');
  const tls = { key: readFileSync(keyFile), cert: readFileSync(certFile) };
  return startEmulator({ ...options, tls });
}

/** The n-th finished task: a failing one every tenth, so both verdicts are rendered. */
export function finishedTask(n: number): FinishedRun {
  const failed = n % 10 === 9;
  return {
    kind: 'task',
    name: `bench task ${String(n).padStart(3, '0')}`,
    source: 'Workspace',
    workspace: 'bench',
    exitCode: failed ? 1 : 0,
    durationMs: 42_000,
    outputTail: failed ? 'error TS2322: Type "string" is not assignable to type "number".' : '',
    endedAt: Date.now(),
  };
}

/** The defaults a user has after setting minDurationSeconds to 0: every run is reported. */
export const REPORT_EVERYTHING: FilterSettings = {
  kinds: { task: true, debug: true, terminal: true },
  minDurationSeconds: 0,
  onlyWhenUnfocused: false,
  onlyFailures: false,
};

export const unfocused = (): FilterContext => ({ windowFocused: false, now: Date.now() });

/** Prints the worker's result as the one line bench.ts parses. */
export function report(result: object): void {
  console.log(`BENCH-RESULT ${JSON.stringify(result)}`);
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Runs a worker's main, prints its result line and exits (non-zero on failure). */
export function runWorker(main: () => Promise<object>): void {
  main().then(
    (result) => {
      report(result);
      process.exit(0);
    },
    (err: unknown) => {
      console.error(`[bench worker] ${err instanceof Error ? (err.stack ?? err.message) : err}`);
      process.exit(1);
    },
  );
}
