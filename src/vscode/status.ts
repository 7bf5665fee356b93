import * as vscode from 'vscode';
import { type SetupFacts, openWalkthrough } from './walkthrough';

export type StatusState = 'not-set-up' | 'ready' | 'muted' | 'sending' | 'attention';

/** The command the status item runs: a quick pick of the useful next actions. */
export const SHOW_ACTIONS = 'telegramNotifier.showActions';

const ICONS: Record<StatusState, string> = {
  'not-set-up': '$(bell-slash)',
  ready: '$(bell)',
  muted: '$(mute)',
  sending: '$(sync)',
  attention: '$(bell-dot)',
};

function tooltip(state: StatusState): string {
  switch (state) {
    case 'not-set-up':
      return vscode.l10n.t('Telegram Notifier is not set up: click to start.');
    case 'ready':
      return vscode.l10n.t('Telegram Notifier is ready: click for actions.');
    case 'muted':
      return vscode.l10n.t('Telegram Notifier is muted: click to unmute.');
    case 'sending':
      return vscode.l10n.t('Telegram Notifier has messages waiting to be sent: click for actions.');
    case 'attention':
      return vscode.l10n.t('Telegram Notifier needs attention: click to see what to do.');
  }
}

/** The menu's hint: the state in words (the tooltip's "click to…" is done by then). */
function menuHint(state: StatusState): string {
  switch (state) {
    case 'not-set-up':
      return vscode.l10n.t('Telegram Notifier is not set up yet.');
    case 'ready':
      return vscode.l10n.t('Telegram Notifier is ready.');
    case 'muted':
      return vscode.l10n.t('Telegram Notifier is muted.');
    case 'sending':
      return vscode.l10n.t('Telegram Notifier has messages waiting to be sent.');
    case 'attention':
      return vscode.l10n.t('Telegram Notifier needs attention.');
  }
}

type ActionItem = vscode.QuickPickItem & { run?: () => Thenable<unknown>; id?: string };

/**
 * The status bar item: one word of state and a tooltip; a click opens a quick pick of the
 * next steps that make sense in that state (set the token, pin a chat, send a test, unmute,
 * the log), most useful first. `SHOW_ACTIONS` resolves to the id of the action picked.
 */
export class StatusItem implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem(
    'telegramNotifier.status',
    vscode.StatusBarAlignment.Right,
    50,
  );
  private readonly command: vscode.Disposable;
  private state: StatusState = 'not-set-up';

  constructor(private readonly facts: () => SetupFacts) {
    this.item.name = 'Telegram Notifier';
    this.item.command = SHOW_ACTIONS;
    this.command = vscode.commands.registerCommand(SHOW_ACTIONS, () => this.showActions());
    this.show('not-set-up');
    this.item.show();
  }

  /** `count` is shown for the sending state: how many messages wait. */
  show(state: StatusState, detail?: string, count?: number): void {
    this.state = state;
    const label =
      state === 'sending' && count ? vscode.l10n.t('Telegram: sending {0}', count) : 'Telegram';
    this.item.text = `${ICONS[state]} ${label}`;
    const tip = tooltip(state);
    this.item.tooltip = detail ? `${tip}\n${detail}` : tip;
    this.item.backgroundColor =
      state === 'attention' ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
  }

  /** Shows the actions; resolves to the id of the one picked and run, or undefined. */
  async showActions(): Promise<string | undefined> {
    const picked = await vscode.window.showQuickPick(this.actions(), {
      title: vscode.l10n.t('Telegram Notifier'),
      placeHolder: menuHint(this.state),
    });
    if (!picked?.run) return undefined;
    void picked.run();
    return picked.id;
  }

  dispose(): void {
    this.command.dispose();
    this.item.dispose();
  }

  private actions(): ActionItem[] {
    const facts = this.facts();
    const first: ActionItem[] = [];
    if (!facts.hasToken) {
      first.push(command('setToken', '$(key)', vscode.l10n.t('Set Bot Token')));
      first.push(
        command('importAppriseUrl', '$(cloud-download)', vscode.l10n.t('Import Apprise URL')),
      );
    } else if (!facts.hasChat) {
      first.push(command('detectChat', '$(pin)', vscode.l10n.t('Detect and Pin Chat')));
      first.push(command('pinChat', '$(pin)', vscode.l10n.t('Pin Chat by ID, @Name or Link')));
    } else {
      if (this.state === 'attention' || this.state === 'sending') {
        first.push(command('showLog', '$(output)', vscode.l10n.t('Show Log')));
      }
      if (facts.muted)
        first.push(command('unmute', '$(bell)', vscode.l10n.t('Unmute Notifications')));
      first.push(command('sendTest', '$(send)', vscode.l10n.t('Send Test Message')));
      if (!facts.muted) {
        first.push(
          command('mute', '$(bell-slash)', vscode.l10n.t('Mute Notifications for a While')),
        );
      }
    }

    const always: ActionItem[] = [
      { label: '', kind: vscode.QuickPickItemKind.Separator },
      {
        label: `$(settings-gear) ${vscode.l10n.t('Settings')}`,
        id: 'settings',
        run: () =>
          vscode.commands.executeCommand('workbench.action.openSettings', 'telegramNotifier'),
      },
      {
        label: `$(book) ${vscode.l10n.t('Get Started')}`,
        id: 'walkthrough',
        run: openWalkthrough,
      },
    ];
    if (!first.some((item) => item.id === 'showLog')) {
      always.push(command('showLog', '$(output)', vscode.l10n.t('Show Log')));
    }
    return [...first, ...always];
  }
}

function command(name: string, icon: string, title: string): ActionItem {
  const id = `telegramNotifier.${name}`;
  return { label: `${icon} ${title}`, id, run: () => vscode.commands.executeCommand(id) };
}
