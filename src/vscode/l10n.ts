/**
 * Localized texts that come from core: core stays free of `vscode` and writes its texts as
 * `l10n.t('English {0}', arg)` against a {@link Localizer} it is handed (see src/core/l10n.ts);
 * these wrappers hand it `vscode.l10n`. Error classes of core that carry a problem code are
 * worded here instead, from the code.
 */
import * as vscode from 'vscode';
import { type ExplainContext, explainFailure } from '../core/explain';
import type { TokenFormatError } from '../core/token';

/** {@link explainFailure} in the display language. */
export function explain(err: unknown, context: Omit<ExplainContext, 'l10n'>): string {
  return explainFailure(err, { ...context, l10n: vscode.l10n });
}

/** What is wrong with a pasted token, in the display language; never repeats the input. */
export function tokenProblem(err: TokenFormatError): string {
  switch (err.problem) {
    case 'empty':
      return vscode.l10n.t('The bot token is empty. Paste the token @BotFather gave you.');
    case 'missing-colon':
      return vscode.l10n.t(
        'That is not a Telegram bot token: it has no colon. A token looks like ' +
          '123456789:AAE… (digits, a colon, then 35 letters, digits, _ or -).',
      );
    case 'bad-bot-id':
      return vscode.l10n.t(
        "That is not a Telegram bot token: the part before the colon must be the bot's number.",
      );
    case 'bad-characters':
      return vscode.l10n.t(
        'That is not a Telegram bot token: after the colon only letters, digits, _ and - ' +
          'may appear.',
      );
    case 'bad-secret-length':
      return vscode.l10n.t(
        'That token looks cut short or too long: after the colon a token has 35 characters. ' +
          'Copy it again from @BotFather.',
      );
    default:
      return err.message;
  }
}
