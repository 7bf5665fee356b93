import * as vscode from 'vscode';
import { DEFAULT_API_BASE_URL } from '../core/bot-api';
import { type PinnedChat, parsePinnedChats } from '../core/chats';
import type { FilterSettings } from '../core/filter';
import type { Logger } from '../core/log';
import type { RenderOptions } from '../core/render';

export const SECTION = 'telegramNotifier';

/**
 * Settings that decide where messages and the token go. A cloned repository must not
 * redirect them, so only the user's own (global) value counts, whatever a workspace says.
 */
type ProtectedKey = 'apiBaseUrl' | 'chats';

/** Reads settings live on every call, so changes apply without a reload. */
export class Settings {
  private readonly warned = new Set<string>();

  constructor(private readonly log: Logger) {}

  apiBaseUrl(): string {
    const value = this.userValue<string>('apiBaseUrl');
    return typeof value === 'string' && value.trim() ? value.trim() : DEFAULT_API_BASE_URL;
  }

  chats(): PinnedChat[] {
    const { chats, problems } = parsePinnedChats(this.userValue('chats') ?? []);
    for (const problem of problems)
      this.warnOnce(`chats:${problem}`, `telegramNotifier.chats: ${problem}; it is skipped.`);
    return chats;
  }

  filter(): FilterSettings {
    const config = vscode.workspace.getConfiguration(SECTION);
    const minDuration = config.get<number>('minDurationSeconds', 10);
    return {
      kinds: {
        task: config.get<boolean>('notify.tasks', true),
        debug: config.get<boolean>('notify.debugSessions', true),
        terminal: config.get<boolean>('notify.terminalCommands', true),
      },
      minDurationSeconds: Number.isFinite(minDuration) && minDuration > 0 ? minDuration : 0,
      onlyWhenUnfocused: config.get<boolean>('onlyWhenUnfocused', false),
      onlyFailures: config.get<boolean>('onlyFailures', false),
      includeNames: stringList(config.get('includeNames')),
      excludeNames: stringList(config.get('excludeNames')),
    };
  }

  /** How messages look: format, template and whether successes are sent silently. */
  render(): RenderOptions {
    const config = vscode.workspace.getConfiguration(SECTION);
    const format = config.get<string>('format', 'html');
    const template = config.get<unknown>('template', '');
    return {
      format: format === 'markdown' || format === 'text' ? format : 'html',
      template: typeof template === 'string' ? template : '',
      silentSuccess: config.get<boolean>('silentSuccess', false) === true,
    };
  }

  async setChats(chats: PinnedChat[]): Promise<void> {
    const plain = chats.map((chat) => ({ ...chat }));
    await vscode.workspace
      .getConfiguration(SECTION)
      .update('chats', plain, vscode.ConfigurationTarget.Global);
  }

  /**
   * The user-level value of a protected setting. VS Code already drops workspace values of
   * application-scoped settings; reading the global value guards against a host that doesn't.
   * Workspace files that try are reported by `workspace-overrides.ts`.
   */
  private userValue<T>(key: ProtectedKey): T | undefined {
    const info = vscode.workspace.getConfiguration(SECTION).inspect<T>(key);
    return info?.globalValue ?? info?.defaultValue;
  }

  private warnOnce(key: string, message: string): void {
    if (this.warned.has(key)) return;
    this.warned.add(key);
    this.log.warn(message);
  }
}

function stringList(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}
