import * as vscode from 'vscode';

export type StatusState = 'not-set-up' | 'ready' | 'muted' | 'sending' | 'attention';

const LOOK: Record<StatusState, { icon: string; tip: string; command: string }> = {
  'not-set-up': {
    icon: '$(bell-slash)',
    tip: 'Telegram Notifier is not set up: click to start.',
    command: 'telegramNotifier.setToken',
  },
  ready: {
    icon: '$(bell)',
    tip: 'Telegram Notifier is ready: click to send a test message.',
    command: 'telegramNotifier.sendTest',
  },
  muted: {
    icon: '$(bell-slash)',
    tip: 'Telegram Notifier is muted: click to unmute.',
    command: 'telegramNotifier.unmute',
  },
  sending: {
    icon: '$(sync)',
    tip: 'Telegram Notifier has messages waiting to be sent: click to see the log.',
    command: 'telegramNotifier.showLog',
  },
  attention: {
    icon: '$(bell-dot)',
    tip: 'Telegram Notifier needs attention: click to see the log.',
    command: 'telegramNotifier.showLog',
  },
};

/** The status bar item: one word of state, a tooltip, and the obvious next step on click. */
export class StatusItem implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem(
    'telegramNotifier.status',
    vscode.StatusBarAlignment.Right,
    50,
  );

  constructor() {
    this.item.name = 'Telegram Notifier';
    this.show('not-set-up');
    this.item.show();
  }

  /** `count` is shown for the sending state: how many messages wait. */
  show(state: StatusState, detail?: string, count?: number): void {
    const look = LOOK[state];
    const label = state === 'sending' && count ? `Telegram: sending ${count}` : 'Telegram';
    this.item.text = `${look.icon} ${label}`;
    this.item.tooltip = detail ? `${look.tip}\n${detail}` : look.tip;
    this.item.command = look.command;
    this.item.backgroundColor =
      state === 'attention' ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
  }

  dispose(): void {
    this.item.dispose();
  }
}
