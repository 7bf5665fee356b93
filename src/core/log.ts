/**
 * The logging seam. The editor layer backs it with a LogOutputChannel; tests back it with
 * an array. Every line passes through `redact` first, so no caller can leak a token.
 */
import { redact } from './redact';

export interface Logger {
  trace(message: string): void;
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export type LogLevel = keyof Logger;

/** Wraps a sink so that known secrets and token-shaped text never reach it. */
export function redactingLogger(
  sink: (level: LogLevel, message: string) => void,
  secrets: () => Iterable<string> = () => [],
): Logger {
  const at = (level: LogLevel) => (message: string) => sink(level, redact(message, secrets()));
  return {
    trace: at('trace'),
    debug: at('debug'),
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
  };
}

/** A logger that remembers lines, for tests and for the benchmark. */
export function memoryLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  return Object.assign(
    redactingLogger((level, message) => lines.push(`${level}: ${message}`)),
    { lines },
  );
}
