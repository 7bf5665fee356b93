import * as vscode from 'vscode';
import { plainTerminalText } from '../core/escape';
import type { FinishedRun } from '../core/events';

/** Raw terminal data kept per command; the renderer shows only the end of it. */
const MAX_OUTPUT = 32_768;

/** How long to wait for the last output after the command ended. */
const DRAIN_MS = 500;

/** A terminal named after a task that ran this recently is taken to be that task's own. */
const TASK_GRACE_MS = 10_000;

interface Running {
  startedAt: number;
  output: string;
  reading: Promise<void>;
}

/**
 * Turns terminal commands into finished runs, through shell integration (VS Code 1.93+):
 * only terminals whose shell integration is active report anything. Output is read from the
 * start of each command (data written before `read()` is called is not available), with
 * colours and cursor moves removed. The exit code is the one the shell reported, and
 * unknown when shell integration could not tell. Whether a command ran long enough to be
 * reported is the filter's business (`telegramNotifier.minDurationSeconds`).
 */
export function watchTerminalCommands(report: (run: FinishedRun) => void): vscode.Disposable {
  const running = new Map<vscode.TerminalShellExecution, Running>();
  const tasks = watchTaskNames();

  const onStart = vscode.window.onDidStartTerminalShellExecution((e) => {
    if (tasks.owns(e.terminal)) return;
    const entry: Running = { startedAt: Date.now(), output: '', reading: Promise.resolve() };
    entry.reading = readInto(e.execution, entry);
    running.set(e.execution, entry);
  });
  const onEnd = vscode.window.onDidEndTerminalShellExecution(async (e) => {
    const entry = running.get(e.execution);
    running.delete(e.execution);
    if (!entry || tasks.owns(e.terminal)) return;
    const endedAt = Date.now();
    await Promise.race([entry.reading, delay(DRAIN_MS)]);
    report(toRun(e, entry, endedAt));
  });
  return vscode.Disposable.from(tasks, onStart, onEnd);
}

/**
 * Task terminals run with shell integration too, so a task's command would be reported a
 * second time as a terminal command. The API does not mark task terminals; they carry the
 * task's name, so a terminal named after a task that is running (or ended moments ago) is
 * skipped. A terminal the user names exactly like a running task is skipped with it.
 */
function watchTaskNames(): vscode.Disposable & { owns(terminal: vscode.Terminal): boolean } {
  const lastSeen = new Map<string, number>();
  const onStart = vscode.tasks.onDidStartTask((e) => lastSeen.set(e.execution.task.name, Infinity));
  const onEnd = vscode.tasks.onDidEndTask((e) => lastSeen.set(e.execution.task.name, Date.now()));
  const recent = (name: string) => Date.now() - (lastSeen.get(name) ?? -Infinity) < TASK_GRACE_MS;
  return Object.assign(vscode.Disposable.from(onStart, onEnd), {
    owns: (terminal: vscode.Terminal) =>
      recent(terminal.name) || recent(terminal.name.replace(/^Task - /, '')),
  });
}

async function readInto(execution: vscode.TerminalShellExecution, entry: Running) {
  try {
    for await (const data of execution.read()) {
      entry.output = (entry.output + data).slice(-MAX_OUTPUT);
    }
  } catch {
    // The stream may break when the terminal closes; what was read so far is kept.
  }
}

function toRun(
  e: vscode.TerminalShellExecutionEndEvent,
  entry: Running,
  endedAt: number,
): FinishedRun {
  const { execution } = e;
  const cwd = execution.cwd;
  const folder = cwd ? vscode.workspace.getWorkspaceFolder(cwd) : undefined;
  const output = plainTerminalText(entry.output).trim();
  return {
    kind: 'terminal',
    name: execution.commandLine.value.trim() || '(command line unknown)',
    workspace: folder?.name ?? vscode.workspace.name,
    exitCode: e.exitCode,
    durationMs: endedAt - entry.startedAt,
    outputTail: output || undefined,
    endedAt,
  };
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref?.());
}
