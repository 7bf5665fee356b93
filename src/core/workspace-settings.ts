/**
 * Finds the settings a workspace may not decide in the text of its settings files
 * (`.vscode/settings.json`, a `.code-workspace` file's `settings`), so that the log can say
 * they were ignored. VS Code itself drops application-scoped values from a workspace and
 * reports none of them through `inspect()`, so the files are the only place they show.
 *
 * Only keys are looked for, never values: a value is not used, whatever it says.
 */

/** Settings that decide where messages or the token go; user settings alone count. */
export const PROTECTED_SETTINGS = [
  'telegramNotifier.apiBaseUrl',
  'telegramNotifier.chats',
  'http.proxy',
] as const;

export type ProtectedSetting = (typeof PROTECTED_SETTINGS)[number];

/**
 * The protected settings that `text` (JSON with comments, as VS Code reads it) sets, in the
 * order of {@link PROTECTED_SETTINGS}. Keys inside comments do not count. The text is not
 * validated: a broken file still shows what it tries to set.
 */
export function protectedSettingsIn(text: string): ProtectedSetting[] {
  const code = withoutComments(text);
  return PROTECTED_SETTINGS.filter((key) => {
    const quoted = JSON.stringify(key).replace(/\./g, '\\.');
    return new RegExp(`${quoted}\\s*:`).test(code);
  });
}

/** The text with `//` and `/* *\/` comments blanked out, strings left as they are. */
function withoutComments(text: string): string {
  let out = '';
  let i = 0;
  while (i < text.length) {
    const ch = text[i];
    if (ch === '"') {
      const end = stringEnd(text, i);
      out += text.slice(i, end);
      i = end;
    } else if (text.startsWith('//', i)) {
      const end = text.indexOf('\n', i);
      i = end < 0 ? text.length : end;
    } else if (text.startsWith('/*', i)) {
      const end = text.indexOf('*/', i + 2);
      i = end < 0 ? text.length : end + 2;
      out += ' ';
    } else {
      out += ch;
      i += 1;
    }
  }
  return out;
}

/** The index just past the string literal that starts at `start`. */
function stringEnd(text: string, start: number): number {
  let i = start + 1;
  while (i < text.length && text[i] !== '"' && text[i] !== '\n') {
    i += text[i] === '\\' ? 2 : 1;
  }
  return Math.min(text.length, i + 1);
}
