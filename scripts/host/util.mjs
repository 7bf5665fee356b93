// Small helpers shared by the host-test runner modules. Plain Node ESM: this runs before
// anything is compiled.
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { dirname, resolve } from 'node:path';

/** Absolute path of the repository root (two levels above this file). */
export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/**
 * Prints one progress line, prefixed so runner output stands apart from test output.
 * @param {...unknown} parts
 */
export function say(...parts) {
  console.log('[host]', ...parts);
}

/**
 * Resolves after `ms` milliseconds. Only for waits that are always awaited to the end (a
 * poll interval); a wait that may lose a race uses `withTimeout`, which clears its timer.
 * @param {number} ms
 */
export function delay(ms) {
  return new Promise((done) => setTimeout(done, ms));
}

/**
 * Asks the kernel for a free loopback port. Racy in theory, fine in practice: the port is
 * handed to code-server a few milliseconds later.
 * @returns {Promise<number>}
 */
export function freePort() {
  return new Promise((done, fail) => {
    const server = createServer();
    server.unref();
    server.on('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const { port } = /** @type {import('node:net').AddressInfo} */ (server.address());
      server.close(() => done(port));
    });
  });
}

/**
 * Runs a command to completion with inherited output.
 * @param {string} cmd
 * @param {string[]} args
 * @param {import('node:child_process').SpawnOptions} [options]
 * @returns {Promise<void>} rejects with the exit code or signal in the message
 */
export function run(cmd, args, options = {}) {
  return new Promise((done, fail) => {
    const child = spawn(cmd, args, { stdio: 'inherit', ...options });
    child.on('error', fail);
    child.on('exit', (code, signal) => {
      if (code === 0) done();
      else fail(new Error(`${cmd} ${args.join(' ')} exited with ${signal ?? code}`));
    });
  });
}

/**
 * Runs `work` with an overall deadline. The timer is cleared however `work` ends, so it
 * never holds the process open.
 * @template T
 * @param {Promise<T>} work
 * @param {number} ms
 * @param {string} what names the step in the timeout error
 * @returns {Promise<T>}
 */
export async function withTimeout(work, ms, what) {
  /** @type {NodeJS.Timeout | undefined} */
  let timer;
  const expired = new Promise((_, fail) => {
    timer = setTimeout(() => fail(new Error(`${what} timed out after ${ms / 1000} s`)), ms);
  });
  try {
    return await Promise.race([work, expired]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * One deadline shared by several steps: `race(p)` rejects when the deadline passes first.
 * `clear()` must be called when done, so the timer never holds the process open.
 * @param {number} ms
 * @param {string} what names the limit in the error
 */
export function deadline(ms, what) {
  /** @type {NodeJS.Timeout | undefined} */
  let timer;
  const expired = new Promise((_, fail) => {
    timer = setTimeout(() => fail(new Error(`${what} timed out after ${ms / 1000} s`)), ms);
  });
  // Marks the rejection handled even when no step is waiting at that moment.
  expired.catch(() => {});
  return {
    /**
     * @template T
     * @param {Promise<T>} work
     * @returns {Promise<T>}
     */
    race: (work) => Promise.race([work, expired]),
    clear: () => clearTimeout(timer),
  };
}

/**
 * Formats a duration for progress lines.
 * @param {number} startedAt a `Date.now()` value
 */
export function since(startedAt) {
  return `${((Date.now() - startedAt) / 1000).toFixed(1)} s`;
}
