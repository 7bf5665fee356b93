import * as vscode from 'vscode';
import { type CopyAppriseArgs, copyAppriseUrl, importAppriseUrl } from './apprise-commands';
import { type DetectChatArgs, detectChat } from './detect-chat';
import {
  type ChatCommandDeps,
  type PinChatArgs,
  type UnpinChatArgs,
  pinChat,
  unpinChat,
} from './pin-chat';

/**
 * The commands that find, pin and unpin chats, and move a setup in and out as an Apprise URL.
 * Each takes its inputs as one argument (see the Args types) and prompts only for what is
 * missing; each resolves to a result a script can check.
 */
export function registerChatCommands(deps: ChatCommandDeps): vscode.Disposable[] {
  const register = (name: string, handler: (arg?: never) => unknown) =>
    vscode.commands.registerCommand(`telegramNotifier.${name}`, handler);
  return [
    register('detectChat', (args?: DetectChatArgs) => detectChat(deps, args ?? {})),
    register('pinChat', (args?: PinChatArgs) => pinChat(deps, args)),
    register('unpinChat', (args?: UnpinChatArgs) => unpinChat(deps, args)),
    register('importAppriseUrl', (url?: string) => importAppriseUrl(deps, url)),
    register('copyAppriseUrl', (args?: CopyAppriseArgs) => copyAppriseUrl(deps, args ?? {})),
  ];
}
