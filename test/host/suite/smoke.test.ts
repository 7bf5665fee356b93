// Proves the harness: our extension loads in a real extension host, tasks report exit codes
// and the bundled node debugger runs programs from the fixture workspace.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';

const extensionId = 'telegram-notifier.telegram-notifier';

suite('host harness smoke', () => {
  test('the extension under development is present and activates', async () => {
    const extension = vscode.extensions.getExtension(extensionId);
    assert.ok(extension, `${extensionId} is not loaded`);
    await extension.activate();
    assert.equal(extension.isActive, true);
  });

  test('a shell task that exits 3 reports exit code 3', async () => {
    const task = await findTask('build-fails');
    const exitCode = waitForTaskExit('build-fails');
    await vscode.tasks.executeTask(task);
    assert.equal(await exitCode, 3);
  });

  test('the node debugger runs the fixture program, which exits with code 2', async () => {
    const output = collectDebugOutput();
    const ended = waitForDebugEnd('run-exit-2');
    const folder = vscode.workspace.workspaceFolders?.[0];
    try {
      assert.equal(await vscode.debug.startDebugging(folder, 'run-exit-2'), true);
      await ended;
    } finally {
      output.dispose();
    }
    // js-debug sends no DAP `exited` event; the code appears only in an output event.
    assert.match(output.text(), /Process exited with code 2/);
  });
});

/** Finds a task from the fixture's .vscode/tasks.json by its label. */
async function findTask(name: string): Promise<vscode.Task> {
  const tasks = await vscode.tasks.fetchTasks();
  const task = tasks.find((t) => t.name === name);
  assert.ok(task, `task ${name} not found among: ${tasks.map((t) => t.name).join(', ')}`);
  return task;
}

/** Resolves with the exit code of the next run of the named task. */
function waitForTaskExit(name: string): Promise<number | undefined> {
  return new Promise((resolve) => {
    const listener = vscode.tasks.onDidEndTaskProcess((event) => {
      if (event.execution.task.name !== name) return;
      listener.dispose();
      resolve(event.exitCode);
    });
  });
}

/** Resolves when the top-level debug session of the named launch config terminates. */
function waitForDebugEnd(name: string): Promise<void> {
  return new Promise((resolve) => {
    const listener = vscode.debug.onDidTerminateDebugSession((session) => {
      if (session.name !== name || session.parentSession) return;
      listener.dispose();
      resolve();
    });
  });
}

/** The part of a Debug Adapter Protocol message this suite looks at. */
interface DapMessage {
  type?: string;
  event?: string;
  body?: { output?: string };
}

/** Records the text of every DAP `output` event any debug adapter sends. */
function collectDebugOutput(): vscode.Disposable & { text(): string } {
  const chunks: string[] = [];
  const registration = vscode.debug.registerDebugAdapterTrackerFactory('*', {
    createDebugAdapterTracker: () => ({
      onDidSendMessage: (message: DapMessage) => {
        if (message.type === 'event' && message.event === 'output') {
          chunks.push(message.body?.output ?? '');
        }
      },
    }),
  });
  return { dispose: () => registration.dispose(), text: () => chunks.join('') };
}
