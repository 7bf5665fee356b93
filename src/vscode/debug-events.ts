import * as vscode from 'vscode';
import type { FinishedRun } from '../core/events';

/** Output kept per launch; the renderer shows only the end of it. */
const MAX_OUTPUT = 16_384;

/** How long after the top-level session ends its children's last events are awaited. */
const SETTLE_MS = 300;

/** js-debug sends no DAP `exited` event; it prints this line instead (category stderr). */
const EXIT_LINE = /Process exited with code (-?\d+)/;

interface LaunchRecord {
  startedAt: number;
  exitCode?: number;
  /** True once a DAP `exited` event gave the code; it then beats any printed line. */
  exitFromEvent: boolean;
  output: string;
}

/**
 * Turns debug sessions into finished runs: one per top-level launch. A launch often starts
 * child sessions (js-debug runs the program in a child of the session the user started);
 * their output and exit code are folded into the top-level one, which is reported once it
 * ends. A compound launch configuration starts several top-level sessions and so gives one
 * message per configuration.
 *
 * The exit code comes from the DAP `exited` event when the adapter sends one, else from
 * js-debug's "Process exited with code N" output line, else it is reported as unknown. A
 * session stopped from the toolbar usually has no exit code.
 */
export function watchDebugSessions(report: (run: FinishedRun) => void): vscode.Disposable {
  const launches = new Map<string, LaunchRecord>();
  const recordOf = (session: vscode.DebugSession): LaunchRecord => {
    const id = topLevel(session).id;
    let record = launches.get(id);
    if (!record) {
      record = { startedAt: Date.now(), exitFromEvent: false, output: '' };
      launches.set(id, record);
    }
    return record;
  };

  const tracker = vscode.debug.registerDebugAdapterTrackerFactory('*', {
    createDebugAdapterTracker(session) {
      const record = recordOf(session);
      return { onDidSendMessage: (message: unknown) => observe(record, message) };
    },
  });
  const onStart = vscode.debug.onDidStartDebugSession((session) => void recordOf(session));
  const onEnd = vscode.debug.onDidTerminateDebugSession((session) => {
    if (session.parentSession) return;
    const timer = setTimeout(() => {
      const record = launches.get(session.id);
      launches.delete(session.id);
      report(toRun(session, record));
    }, SETTLE_MS);
    timer.unref?.();
  });
  return vscode.Disposable.from(tracker, onStart, onEnd);
}

function topLevel(session: vscode.DebugSession): vscode.DebugSession {
  let top = session;
  while (top.parentSession) top = top.parentSession;
  return top;
}

/** Reads the DAP messages the adapter sends to the editor. */
function observe(record: LaunchRecord, message: unknown): void {
  const m = message as { type?: string; event?: string; body?: Record<string, unknown> };
  if (m?.type !== 'event' || !m.body) return;

  if (m.event === 'exited' && typeof m.body.exitCode === 'number') {
    record.exitCode = m.body.exitCode;
    record.exitFromEvent = true;
    return;
  }
  if (m.event !== 'output' || typeof m.body.output !== 'string') return;
  if (m.body.category === 'telemetry') return;

  const text = m.body.output;
  record.output = (record.output + text).slice(-MAX_OUTPUT);
  const exitLine = EXIT_LINE.exec(text);
  if (exitLine && !record.exitFromEvent) record.exitCode = Number(exitLine[1]);
}

function toRun(session: vscode.DebugSession, record: LaunchRecord | undefined): FinishedRun {
  const now = Date.now();
  return {
    kind: 'debug',
    name: session.configuration.name || session.name,
    source: session.type,
    workspace: session.workspaceFolder?.name ?? vscode.workspace.name,
    exitCode: record?.exitCode,
    durationMs: record ? now - record.startedAt : 0,
    outputTail: record?.output || undefined,
    endedAt: now,
  };
}
