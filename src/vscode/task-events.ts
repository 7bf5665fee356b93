import * as vscode from 'vscode';
import type { FinishedRun } from '../core/events';

/**
 * Turns task lifecycle events into finished runs. A task with a process is reported when the
 * process ends (that event carries the exit code); a task without one (a custom execution)
 * is reported when the task ends, with its exit code unknown.
 *
 * A compound task (`dependsOn`) is not one run: each task it starts that has a process is
 * reported on its own, with its exit code; the compound itself has no process and is
 * reported as finished with an unknown outcome (so `onlyFailures` skips it). A background
 * task (a watcher) is reported only when its process ends, usually when it is stopped, not
 * each time its problem matcher sees a build finish.
 */
export function watchTasks(report: (run: FinishedRun) => void): vscode.Disposable {
  const started = new WeakMap<vscode.TaskExecution, number>();
  const reported = new WeakSet<vscode.TaskExecution>();

  const onStart = vscode.tasks.onDidStartTask((e) => started.set(e.execution, Date.now()));
  const onProcessEnd = vscode.tasks.onDidEndTaskProcess((e) => {
    reported.add(e.execution);
    report(toRun(e.execution, started.get(e.execution), e.exitCode));
  });
  const onEnd = vscode.tasks.onDidEndTask((e) => {
    // The process-end event comes first for process tasks; give it a moment to be sure.
    setTimeout(() => {
      if (reported.has(e.execution)) return;
      reported.add(e.execution);
      report(toRun(e.execution, started.get(e.execution), undefined));
    }, 250);
  });
  return vscode.Disposable.from(onStart, onProcessEnd, onEnd);
}

function toRun(
  execution: vscode.TaskExecution,
  startedAt: number | undefined,
  exitCode: number | undefined,
): FinishedRun {
  const task = execution.task;
  const now = Date.now();
  return {
    kind: 'task',
    name: task.name,
    source: task.source,
    workspace: workspaceName(task.scope),
    exitCode,
    durationMs: startedAt === undefined ? 0 : now - startedAt,
    endedAt: now,
  };
}

function workspaceName(scope: vscode.Task['scope']): string | undefined {
  if (scope && typeof scope === 'object') return scope.name;
  return vscode.workspace.name;
}
