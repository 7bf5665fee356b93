import * as vscode from 'vscode';
import type { Logger } from '../core/log';
import { protectedSettingsIn } from '../core/workspace-settings';

/**
 * Says in the log when a workspace tries to set where messages or the token go. Those
 * settings are application-scoped, so VS Code already ignores a workspace's values (and
 * hides them from `inspect()`); this reads the workspace's settings files to tell the user
 * so, once per file and setting. Checked at activation and whenever settings or folders
 * change.
 */
export function reportWorkspaceOverrides(log: Logger): vscode.Disposable {
  const reported = new Set<string>();
  const check = () => void scan(log, reported);
  check();
  return vscode.Disposable.from(
    vscode.workspace.onDidChangeConfiguration(check),
    vscode.workspace.onDidChangeWorkspaceFolders(check),
  );
}

async function scan(log: Logger, reported: Set<string>): Promise<void> {
  for (const file of settingsFiles()) {
    const text = await readText(file);
    if (text === undefined) continue;
    for (const key of protectedSettingsIn(text)) {
      const id = `${file.toString()}#${key}`;
      if (reported.has(id)) continue;
      reported.add(id);
      log.warn(
        `Ignored ${key} from the workspace settings (${vscode.workspace.asRelativePath(file)}): ` +
          'only your user settings decide where notifications and the bot token go.',
      );
    }
  }
}

/** Each folder's `.vscode/settings.json`, and the `.code-workspace` file when there is one. */
function settingsFiles(): vscode.Uri[] {
  const folders = (vscode.workspace.workspaceFolders ?? []).map((folder) =>
    vscode.Uri.joinPath(folder.uri, '.vscode', 'settings.json'),
  );
  const workspaceFile = vscode.workspace.workspaceFile;
  return workspaceFile && workspaceFile.scheme !== 'untitled'
    ? [...folders, workspaceFile]
    : folders;
}

async function readText(file: vscode.Uri): Promise<string | undefined> {
  try {
    return new TextDecoder().decode(await vscode.workspace.fs.readFile(file));
  } catch {
    return undefined;
  }
}
