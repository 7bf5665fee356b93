import * as vscode from 'vscode';
import type { Logger } from '../core/log';

/**
 * What the user is told, in one place: each message also goes to the log (so it can be
 * read later), and an action button runs the command that fixes the condition.
 * The returned promise is not awaited by callers: a notification may stay open for hours.
 */
export class UserNotices {
  constructor(private readonly log: Logger) {}

  info(message: string, ...actions: Action[]): void {
    this.log.info(`Told the user: ${message}`);
    this.offer(vscode.window.showInformationMessage(message, ...labels(actions)), actions);
  }

  warn(message: string, ...actions: Action[]): void {
    this.log.warn(`Told the user: ${message}`);
    this.offer(vscode.window.showWarningMessage(message, ...labels(actions)), actions);
  }

  error(message: string, ...actions: Action[]): void {
    this.log.error(`Told the user: ${message}`);
    this.offer(vscode.window.showErrorMessage(message, ...labels(actions)), actions);
  }

  private offer(choice: Thenable<string | undefined>, actions: Action[]): void {
    choice.then(
      (picked) => {
        const action = actions.find((a) => a.title === picked);
        if (action) void vscode.commands.executeCommand(action.command, ...(action.args ?? []));
      },
      () => undefined,
    );
  }
}

export interface Action {
  title: string;
  command: string;
  args?: unknown[];
}

function labels(actions: Action[]): string[] {
  return actions.map((a) => a.title);
}
