import * as vscode from 'vscode';
import { type Logger, redactingLogger } from '../core/log';

/**
 * The extension's one log: a LogOutputChannel whose level the user sets with "Developer:
 * Set Log Level". Lines are redacted before they reach it.
 */
export function createLog(secrets: () => Iterable<string>): {
  channel: vscode.LogOutputChannel;
  log: Logger;
} {
  const channel = vscode.window.createOutputChannel('Telegram Notifier', { log: true });
  const log = redactingLogger((level, message) => channel[level](message), secrets);
  return { channel, log };
}
