/**
 * Turns a finished run into the text of a Telegram message in HTML parse mode.
 *
 * Every string that came from the user's machine (task names, paths, output) is escaped;
 * the message never exceeds Telegram's 4096 characters, and a cut keeps the verdict and the
 * last lines of output (the end of a log is where the error usually is).
 * https://core.telegram.org/bots/api#html-style
 */
import { type FinishedRun, formatDuration, verdictOf } from './events';

/** Telegram's limit for a message's text after entity parsing. */
export const MAX_MESSAGE_LENGTH = 4096;

export interface RenderedMessage {
  text: string;
  parseMode: 'HTML';
}

const KIND_LABEL = { task: 'Task', debug: 'Debug session', terminal: 'Command' } as const;
const VERDICT_LINE = {
  succeeded: { icon: '✅', word: 'succeeded' },
  failed: { icon: '❌', word: 'failed' },
  unknown: { icon: '⚪', word: 'finished' },
} as const;

export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export function renderRun(run: FinishedRun): RenderedMessage {
  const verdict = VERDICT_LINE[verdictOf(run)];
  const name = run.name.trim() || '(unnamed)';
  const head = `${verdict.icon} ${KIND_LABEL[run.kind]} <b>${escapeHtml(name)}</b> ${verdict.word}`;

  const facts = [
    run.exitCode === undefined ? 'Exit code: unknown' : `Exit code: ${run.exitCode}`,
    `Duration: ${formatDuration(run.durationMs)}`,
  ];
  if (run.workspace) facts.push(`Workspace: ${escapeHtml(run.workspace)}`);
  if (run.source) facts.push(`Source: ${escapeHtml(run.source)}`);
  const body = `${head}\n${facts.join('\n')}`;

  const tail = run.outputTail?.trimEnd();
  if (!tail) return { text: body, parseMode: 'HTML' };
  return {
    text: `${body}\n${renderTail(tail, MAX_MESSAGE_LENGTH - body.length - 1)}`,
    parseMode: 'HTML',
  };
}

/**
 * The output tail in a <pre> block that fits `room` characters of the final text, keeping
 * the newest lines. Escaping happens before the cut is measured, so no entity is split; the
 * cut is moved off a surrogate pair so no emoji is halved.
 */
function renderTail(tail: string, room: number): string {
  const open = '<pre>';
  const close = '</pre>';
  const marker = '…\n';
  const escaped = escapeHtml(tail);
  const available = room - open.length - close.length;
  if (escaped.length <= available) return `${open}${escaped}${close}`;
  if (available <= marker.length + 1) return '';

  let start = escaped.length - (available - marker.length);
  start = skipEntityAndSurrogate(escaped, start);
  const lineStart = escaped.indexOf('\n', start);
  // Prefer starting at a whole line when that loses little.
  if (lineStart >= 0 && lineStart - start < 200) start = lineStart + 1;
  return `${open}${marker}${escaped.slice(start)}${close}`;
}

function skipEntityAndSurrogate(text: string, start: number): number {
  let at = start;
  const amp = text.lastIndexOf('&', at);
  if (amp >= 0 && amp < at) {
    const semi = text.indexOf(';', amp);
    if (semi >= at) at = semi + 1;
  }
  const code = text.charCodeAt(at);
  if (code >= 0xdc00 && code <= 0xdfff) at += 1;
  return at;
}
