/**
 * Turns a finished run into the text of a Telegram message, in HTML (the default), MarkdownV2
 * or plain text, from a template with named variables.
 *
 * Guarantees, whatever the run or the template holds:
 * - every string that came from the user's machine is escaped for the parse mode;
 * - the text is never empty: a template that renders to nothing visible, or that is too long
 *   to leave room for the facts, is replaced by the built-in one;
 * - no bot token reaches the chat: a command line or output that holds one (a `curl` of the
 *   Bot API, an environment dump) has it masked, like every log line;
 * - the text after parsing never exceeds 4096 characters: names are shortened, and the output
 *   keeps its last lines. The output is cut before it is escaped, so a cut never lands inside
 *   a tag or an entity, and never between the halves of a surrogate pair.
 * https://core.telegram.org/bots/api#formatting-options
 */
import {
  type MessageFormat,
  escapeFor,
  escapeHtml,
  escapeMarkdownV2Code,
  keepHead,
  keepTail,
  sanitizeText,
} from './escape';
import { type FinishedRun, formatDuration, verdictOf } from './events';
import { redact } from './redact';
import type { ParseMode } from './telegram-types';
import { type TemplateVariable, fillTemplate } from './template';

export { escapeHtml } from './escape';

/** Telegram's limit for a message's text after entity parsing. */
export const MAX_MESSAGE_LENGTH = 4096;

/** Longest name, source and workspace shown, so the facts always leave room for output. */
const MAX_NAME_LENGTH = 300;
const MAX_LABEL_LENGTH = 100;

export interface RenderOptions {
  format: MessageFormat;
  /** Markup in `format` with `{{variables}}`; empty or missing means the built-in one. */
  template?: string;
  /** Successful runs are delivered without sound (`disable_notification`). */
  silentSuccess?: boolean;
  /** Stored tokens, masked wherever they appear even when not token-shaped. */
  secrets?: Iterable<string>;
}

export interface RenderedMessage {
  text: string;
  parseMode?: ParseMode;
  silent?: boolean;
  /** The verdict line alone, in the same format, for digests of several messages. */
  summary: string;
  /** Why the user's template was not used as written, for the log. */
  problems: string[];
}

/** The built-in template of each format. */
export const DEFAULT_TEMPLATES: Record<MessageFormat, string> = {
  html: [
    '{{icon}} {{kind}} <b>{{name}}</b> {{verdict}}',
    'Exit code: {{exitCode}}',
    'Duration: {{duration}}',
    'Workspace: {{workspace}}',
    'Source: {{source}}',
    '{{output}}',
  ].join('\n'),
  markdown: [
    '{{icon}} {{kind}} *{{name}}* {{verdict}}',
    'Exit code: {{exitCode}}',
    'Duration: {{duration}}',
    'Workspace: {{workspace}}',
    'Source: {{source}}',
    '{{output}}',
  ].join('\n'),
  text: [
    '{{icon}} {{kind}} {{name}} {{verdict}}',
    'Exit code: {{exitCode}}',
    'Duration: {{duration}}',
    'Workspace: {{workspace}}',
    'Source: {{source}}',
    '{{output}}',
  ].join('\n'),
};

const PARSE_MODE: Record<MessageFormat, ParseMode | undefined> = {
  html: 'HTML',
  markdown: 'MarkdownV2',
  text: undefined,
};

const KIND_LABEL = { task: 'Task', debug: 'Debug session', terminal: 'Command' } as const;
const VERDICT = {
  succeeded: { icon: '✅', word: 'succeeded' },
  failed: { icon: '❌', word: 'failed' },
  unknown: { icon: '⚪', word: 'finished' },
} as const;

/** Stands for the output block while the rest is measured; sanitized values hold no NUL. */
const OUTPUT_SLOT = '\u0000output\u0000';

export function renderRun(
  unsafeRun: FinishedRun,
  options: RenderOptions = { format: 'html' },
): RenderedMessage {
  const run = withoutSecrets(unsafeRun, [...(options.secrets ?? [])]);
  const format = options.format;
  const problems: string[] = [];
  const verdict = verdictOf(run);
  const values = valuesOf(run, format);
  const tail = verdict === 'succeeded' ? '' : sanitizeText(run.outputTail ?? '').trimEnd();

  let template = options.template?.trim() ? options.template : DEFAULT_TEMPLATES[format];
  let text = fill(template, values, tail, format, problems);
  if (text === undefined || !hasVisibleText(text, format)) {
    if (template !== DEFAULT_TEMPLATES[format]) {
      problems.push(
        text === undefined
          ? 'the template leaves no room within 4096 characters; used the built-in one'
          : 'the template rendered an empty message; used the built-in one',
      );
    }
    template = DEFAULT_TEMPLATES[format];
    text = fill(template, values, tail, format, []) ?? '';
  }

  return {
    text,
    summary: fillTemplate(DEFAULT_TEMPLATES[format].split('\n')[0], values).text,
    parseMode: PARSE_MODE[format],
    silent: Boolean(options.silentSuccess) && verdict === 'succeeded',
    problems,
  };
}

/** The run with every token in its texts masked, before anything is measured or escaped. */
function withoutSecrets(run: FinishedRun, secrets: string[]): FinishedRun {
  const scrub = (text: string | undefined) => (text === undefined ? text : redact(text, secrets));
  return {
    ...run,
    name: redact(run.name, secrets),
    source: scrub(run.source),
    workspace: scrub(run.workspace),
    outputTail: scrub(run.outputTail),
  };
}

/** The variables' values, escaped for the format; `output` is filled in later. */
function valuesOf(run: FinishedRun, format: MessageFormat): Record<TemplateVariable, string> {
  const verdict = VERDICT[verdictOf(run)];
  // One line each: the verdict line must stand alone (a digest shows only that line).
  const clean = (text: string | undefined, max: number) =>
    escapeFor(
      format,
      keepHead(
        sanitizeText(text ?? '')
          .replace(/\s+/g, ' ')
          .trim(),
        max,
      ),
    );
  return {
    icon: verdict.icon,
    verdict: verdict.word,
    kind: KIND_LABEL[run.kind],
    name: clean(run.name, MAX_NAME_LENGTH) || escapeFor(format, '(unnamed)'),
    source: clean(run.source, MAX_LABEL_LENGTH),
    workspace: clean(run.workspace, MAX_LABEL_LENGTH),
    exitCode: run.exitCode === undefined ? 'unknown' : escapeFor(format, String(run.exitCode)),
    duration: escapeFor(format, formatDuration(run.durationMs)),
    output: '',
  };
}

/**
 * Fills the template and fits the output into what is left of 4096 characters. Returns
 * undefined when the text without output is already too long.
 */
function fill(
  template: string,
  values: Record<TemplateVariable, string>,
  tail: string,
  format: MessageFormat,
  problems: string[],
): string | undefined {
  const probe = fillTemplate(template, { ...values, output: tail ? OUTPUT_SLOT : '' });
  if (probe.unknown.length > 0) {
    problems.push(`unknown template variables: ${probe.unknown.join(', ')}`);
  }
  const slots = probe.text.split(OUTPUT_SLOT).length - 1;
  // Markup is never shorter than the text it parses to, so measuring it is safe.
  const fixed = probe.text.length - slots * OUTPUT_SLOT.length;
  if (fixed > MAX_MESSAGE_LENGTH) return undefined;
  if (slots === 0) return probe.text;

  const room = Math.floor((MAX_MESSAGE_LENGTH - fixed) / slots) - blockOverhead(format);
  const kept = keepTail(tail, room);
  if (!kept) return fillTemplate(template, { ...values, output: '' }).text;
  return probe.text.split(OUTPUT_SLOT).join(outputBlock(kept, format));
}

function outputBlock(tail: string, format: MessageFormat): string {
  if (format === 'html') return `<pre>${escapeHtml(tail)}</pre>`;
  if (format === 'markdown') return `\`\`\`\n${escapeMarkdownV2Code(tail)}\n\`\`\``;
  return tail;
}

function blockOverhead(format: MessageFormat): number {
  return outputBlock('', format).length;
}

/** Whether anything but markup and white space is left (an approximation for MarkdownV2). */
function hasVisibleText(text: string, format: MessageFormat): boolean {
  let visible = text;
  if (format === 'html') visible = text.replace(/<[^>]*>/g, '').replace(/&[#a-z0-9]+;/gi, 'x');
  if (format === 'markdown') visible = text.replace(/\\(.)/g, 'x').replace(/[*_~|`[\]()]/g, '');
  return visible.trim() !== '';
}
