import * as vscode from 'vscode';

/** The walkthrough of package.json, as `workbench.action.openWalkthrough` names it. */
export const WALKTHROUGH = 'telegram-notifier.telegram-notifier#telegramNotifier.gettingStarted';

/**
 * What is set up so far. Each fact is also a context key `telegramNotifier.<name>`: the
 * walkthrough's steps complete on them (`onContext:`), and the command palette's `when`
 * clauses hide commands that cannot run yet.
 */
export interface SetupFacts {
  /** A bot token is in secret storage. */
  hasToken: boolean;
  /** At least one chat is pinned. */
  hasChat: boolean;
  muted: boolean;
  /** A test message reached a chat in this session. */
  testDelivered: boolean;
}

/** Keeps the context keys equal to the facts; sets a key only when its value changes. */
export class SetupContext {
  private facts: SetupFacts = {
    hasToken: false,
    hasChat: false,
    muted: false,
    testDelivered: false,
  };
  private readonly written = new Map<keyof SetupFacts, boolean>();

  snapshot(): SetupFacts {
    return { ...this.facts };
  }

  async update(changes: Partial<SetupFacts>): Promise<void> {
    this.facts = { ...this.facts, ...changes };
    const writes = (Object.keys(this.facts) as (keyof SetupFacts)[])
      .filter((key) => this.written.get(key) !== this.facts[key])
      .map((key) => {
        this.written.set(key, this.facts[key]);
        return vscode.commands.executeCommand(
          'setContext',
          `telegramNotifier.${key}`,
          this.facts[key],
        );
      });
    await Promise.all(writes);
  }
}

export function openWalkthrough(): Thenable<unknown> {
  return vscode.commands.executeCommand('workbench.action.openWalkthrough', WALKTHROUGH, false);
}
