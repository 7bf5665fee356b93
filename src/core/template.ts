/**
 * Message templates: text with named variables written `{{name}}` (spaces inside the braces
 * are allowed). The template itself is markup in the chosen format; the values handed in are
 * already escaped for it, so a template never has to think about a task name's `<` or `_`.
 */

/** The variables a template may use, with the text the settings UI shows for each. */
export const TEMPLATE_VARIABLES = {
  icon: '✅, ❌ or ⚪ (outcome unknown)',
  verdict: '`succeeded`, `failed` or `finished` (outcome unknown)',
  kind: '`Task`, `Debug session` or `Command`',
  name: 'task name, debug configuration name or command line',
  source: 'task source (`Workspace`, `npm`, …), debug type (`node`, …) or terminal name',
  workspace: 'workspace folder name',
  exitCode: 'exit code, or `unknown`',
  duration: 'how long it ran, e.g. `3 min 04 s`',
  output: 'last lines of output in a code block, only when the run did not succeed',
} as const;

export type TemplateVariable = keyof typeof TEMPLATE_VARIABLES;

export interface TemplateResult {
  text: string;
  /** Variable names the template used that do not exist; they render as nothing. */
  unknown: string[];
}

const VARIABLE = /\{\{\s*([A-Za-z][A-Za-z0-9]*)\s*\}\}/g;

/**
 * Fills the template. A line that uses variables and in which every one of them is empty is
 * left out entirely, so `Workspace: {{workspace}}` disappears when there is no workspace
 * rather than printing a dangling label.
 */
export function fillTemplate(
  template: string,
  values: Partial<Record<TemplateVariable, string>>,
): TemplateResult {
  const unknown = new Set<string>();
  const lookup = (name: string): string => {
    if (!Object.hasOwn(TEMPLATE_VARIABLES, name)) {
      unknown.add(name);
      return '';
    }
    return values[name as TemplateVariable] ?? '';
  };

  const lines: string[] = [];
  for (const line of template.split('\n')) {
    const used = [...line.matchAll(VARIABLE)].map((m) => m[1]);
    const filled = used.map(lookup);
    if (used.length > 0 && filled.every((value) => value === '')) continue;
    lines.push(line.replace(VARIABLE, (_, name: string) => lookup(name)));
  }
  return { text: lines.join('\n'), unknown: [...unknown] };
}

/** The settings UI's list of variables, as Markdown. */
export function describeVariables(): string {
  return Object.entries(TEMPLATE_VARIABLES)
    .map(([name, what]) => `\`{{${name}}}\`: ${what}`)
    .join('; ');
}
