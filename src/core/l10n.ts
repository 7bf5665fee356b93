/**
 * How core texts are localized without importing `vscode`: a function that needs to say
 * something to the user takes a {@link Localizer} and writes `l10n.t('English text {0}', arg)`.
 * The editor layer passes `vscode.l10n`, which looks the English text up in
 * `l10n/bundle.l10n.<language>.json`; tests and scripts get {@link english}. The calls are
 * spelled `l10n.t('literal')` everywhere (core and editor layer alike), so that
 * test/unit/l10n.test.ts can collect every text and check that each language has it.
 */
export interface Localizer {
  t(message: string, ...args: Array<string | number | boolean>): string;
}

/** The English texts, with `{0}`, `{1}`… replaced by the arguments (as `vscode.l10n.t` does). */
export const english: Localizer = {
  t: (message, ...args) =>
    message.replace(/\{(\d+)\}/g, (whole, index: string) =>
      Number(index) < args.length ? String(args[Number(index)]) : whole,
    ),
};
