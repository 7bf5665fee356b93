import * as vscode from 'vscode';
import type { Logger } from '../core/log';
import type { MuteState } from './mute-state';
import type { UserNotices } from './ui';

export { MuteState } from './mute-state';

/** Longest mute accepted: a week. */
const MAX_MINUTES = 7 * 24 * 60;

const CHOICES = (): { label: string; minutes: number }[] => [
  { label: vscode.l10n.t('15 minutes'), minutes: 15 },
  { label: vscode.l10n.t('30 minutes'), minutes: 30 },
  { label: vscode.l10n.t('1 hour'), minutes: 60 },
  { label: vscode.l10n.t('2 hours'), minutes: 120 },
  { label: vscode.l10n.t('4 hours'), minutes: 240 },
  { label: vscode.l10n.t('8 hours'), minutes: 480 },
  { label: vscode.l10n.t('24 hours'), minutes: 1440 },
];

/**
 * `telegramNotifier.mute` takes the minutes as an argument (a number or numeric text) and
 * offers a quick pick without one; it resolves to the end of the mute in epoch ms, or
 * undefined when cancelled or invalid. `telegramNotifier.unmute` resolves to whether
 * notifications were muted.
 */
export function registerMuteCommands(
  mute: MuteState,
  notices: UserNotices,
  log: Logger,
): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand('telegramNotifier.mute', async (given?: unknown) => {
      const minutes = given === undefined ? await pickMinutes() : Number(given);
      if (minutes === undefined) return undefined;
      if (!Number.isFinite(minutes) || minutes <= 0 || minutes > MAX_MINUTES) {
        notices.warn(
          vscode.l10n.t('Mute for between 1 minute and {0} minutes (one week).', MAX_MINUTES),
        );
        return undefined;
      }
      const until = await mute.mute(minutes);
      log.info(`Muted notifications until ${new Date(until).toISOString()}.`);
      notices.info(vscode.l10n.t('Telegram notifications are muted until {0}.', clockTime(until)), {
        title: vscode.l10n.t('Unmute'),
        command: 'telegramNotifier.unmute',
      });
      return until;
    }),
    vscode.commands.registerCommand('telegramNotifier.unmute', async () => {
      const was = await mute.unmute();
      log.info(was ? 'Unmuted notifications.' : 'Unmute asked while not muted.');
      notices.info(
        was
          ? vscode.l10n.t('Telegram notifications are on again.')
          : vscode.l10n.t('Telegram notifications were not muted.'),
      );
      return was;
    }),
  ];
}

async function pickMinutes(): Promise<number | undefined> {
  const custom = { label: vscode.l10n.t('Other…'), minutes: -1 };
  const picked = await vscode.window.showQuickPick([...CHOICES(), custom], {
    title: vscode.l10n.t('Telegram: Mute Notifications'),
    placeHolder: vscode.l10n.t('For how long?'),
  });
  if (!picked) return undefined;
  if (picked !== custom) return picked.minutes;
  const typed = await vscode.window.showInputBox({
    title: vscode.l10n.t('Telegram: Mute Notifications'),
    prompt: vscode.l10n.t('Minutes to mute for'),
    validateInput: (text) => {
      const n = Number(text);
      return Number.isFinite(n) && n > 0 && n <= MAX_MINUTES
        ? undefined
        : vscode.l10n.t('A number of minutes from 1 to {0}', MAX_MINUTES);
    },
  });
  return typed === undefined ? undefined : Number(typed);
}

/** The end of a mute as the user's clock shows it, with the date when it is not today. */
export function clockTime(epochMs: number): string {
  const end = new Date(epochMs);
  const time = end.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' });
  return end.toDateString() === new Date().toDateString()
    ? time
    : `${end.toLocaleDateString()} ${time}`;
}
