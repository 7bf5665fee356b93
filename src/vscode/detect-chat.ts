/**
 * "Telegram: Detect and Pin Chat": shows a one-time code and how to send it from each kind of
 * chat, long-polls getUpdates (one window at a time, cancellable, with a time limit) until an
 * update carries the code, then pins exactly that chat. Chats seen on the way are offered in
 * a pick list, each pinned only after the user confirms.
 */
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { BotApiClient } from '../core/bot-api';
import type { PinnedChat } from '../core/chats';
import {
  type ChatCandidate,
  KIND_NAMES,
  candidateKey,
  describeCandidate,
} from '../core/discovery/candidates';
import { Handshake, HandshakeCodeError } from '../core/discovery/handshake';
import { FileLease } from '../core/discovery/lease';
import { type DiscoveryOutcome, discoverChat } from '../core/discovery/poll';
import { classifyFailure } from '../core/explain';
import { describeError } from '../core/redact';
import { explain } from './l10n';
import {
  type ChatCommandDeps,
  type ChosenBot,
  type PinResult,
  chooseBot,
  saveChecked,
} from './pin-chat';

export interface DetectChatArgs {
  botId?: string;
  /** How long to wait for the code; default 300 seconds. */
  timeoutSeconds?: number;
  /** Use this code instead of a random one (8–64 of `A-Z a-z 0-9 _ -`), so a script knows it. */
  code?: string;
  /** Pin this chat (and topic) when it shows up, code or not: the caller's confirmed choice. */
  chatId?: number;
  topicId?: number;
  /** `keep`: on a webhook, explain and stop instead of offering to delete it. */
  webhook?: 'ask' | 'keep';
}

const DEFAULT_TIMEOUT_SECONDS = 300;
const LEASE_RENEW_MS = 10_000;

export async function detectChat(
  deps: ChatCommandDeps,
  args: DetectChatArgs = {},
): Promise<PinResult> {
  const bot = await chooseBot(deps, args.botId, vscode.l10n.t('Telegram: Detect and Pin Chat'));
  if (!bot) return { status: 'no-bot' };

  // Two pollers of one token make Telegram refuse one of them (409): one window at a time.
  const owner = randomUUID();
  const lease = new FileLease(join(deps.storagePath, `discovery-${bot.botId}.lease`));
  const got = await lease.acquire(owner, `waiting for a code sent to @${bot.username}`);
  if (!got.acquired) {
    const message = vscode.l10n.t(
      'Another VS Code window is already {0}. Finish or cancel it there first; if that ' +
        'window was closed, try again in half a minute.',
      got.holder.purpose,
    );
    deps.notices.warn(message);
    return { status: 'busy', message };
  }

  const renewal = setInterval(() => void lease.renew(owner).catch(() => undefined), LEASE_RENEW_MS);
  try {
    return await detectWithLease(deps, bot, args);
  } finally {
    clearInterval(renewal);
    await lease.release(owner).catch(() => undefined);
  }
}

async function detectWithLease(
  deps: ChatCommandDeps,
  bot: ChosenBot,
  args: DetectChatArgs,
): Promise<PinResult> {
  const timeoutSeconds = Math.max(5, args.timeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS);
  let handshake: Handshake;
  try {
    handshake = new Handshake({
      botUsername: bot.username,
      ttlMs: timeoutSeconds * 1000,
      now: Date.now,
      code: args.code,
    });
  } catch (err) {
    const message = err instanceof HandshakeCodeError ? err.message : describeError(err);
    deps.notices.error(message);
    return { status: 'failed', reason: 'bad-input', message };
  }

  const client = deps.clients.client(bot.token);
  const panel = new InstructionsPanel(handshake, bot.username);
  try {
    const result = await waitWithProgress(deps, client, handshake, panel, args);
    if ('status' in result) return result;
    return await pinFound(deps, client, bot, result);
  } finally {
    panel.dispose();
  }
}

type Found = { chat: ChatCandidate };

async function waitWithProgress(
  deps: ChatCommandDeps,
  client: BotApiClient,
  handshake: Handshake,
  panel: InstructionsPanel,
  args: DetectChatArgs,
): Promise<Found | PinResult> {
  return vscode.window.withProgress(
    {
      location: vscode.ProgressLocation.Notification,
      title: vscode.l10n.t('Telegram: send the code {0} to your bot', handshake.code),
      cancellable: true,
    },
    async (progress, cancel) => {
      const controller = new AbortController();
      cancel.onCancellationRequested(() => controller.abort());
      let picked: ChatCandidate | undefined;
      panel.onConfirmedPick = (candidate) => {
        picked = candidate;
        controller.abort();
      };
      const tick = () => progress.report({ message: countdown(handshake) });
      tick();
      const ticker = setInterval(tick, 1000);

      try {
        const outcome = await pollHandlingWebhook(deps, client, handshake, panel, controller, args);
        if ('status' in outcome) return outcome;
        if (picked) return { chat: picked };
        return settle(deps, handshake, outcome);
      } finally {
        clearInterval(ticker);
      }
    },
  );
}

async function pollHandlingWebhook(
  deps: ChatCommandDeps,
  client: BotApiClient,
  handshake: Handshake,
  panel: InstructionsPanel,
  controller: AbortController,
  args: DetectChatArgs,
): Promise<DiscoveryOutcome | PinResult> {
  const chosen =
    args.chatId === undefined
      ? undefined
      : (c: ChatCandidate) => c.chatId === args.chatId && c.topicId === args.topicId;
  for (;;) {
    try {
      return await discoverChat({
        source: client,
        handshake,
        signal: controller.signal,
        chosen,
        onSeen: (seen) => panel.showSeen(seen),
        log: deps.log,
      });
    } catch (err) {
      const kind = classifyFailure(err);
      deps.log.error(`Chat detection stopped: ${describeError(err)}`);
      if (kind === 'webhook-active' && args.webhook !== 'keep' && (await offerDeleteWebhook())) {
        await client.deleteWebhook();
        deps.log.warn('Deleted the bot’s webhook at the user’s request; waiting for the code.');
        continue;
      }
      const why = explain(err, { baseUrl: deps.settings.apiBaseUrl() });
      const message = vscode.l10n.t('Stopped waiting for the code; nothing was pinned. {0}', why);
      deps.notices.error(message);
      return { status: 'failed', reason: kind, message };
    }
  }
}

async function offerDeleteWebhook(): Promise<boolean> {
  const remove = vscode.l10n.t('Delete Webhook');
  const choice = await vscode.window.showWarningMessage(
    vscode.l10n.t(
      'This bot has a webhook, so Telegram sends its messages to a server instead of VS Code.',
    ),
    {
      modal: true,
      detail: vscode.l10n.t(
        'Deleting the webhook stops that server from receiving the bot’s messages. Do this ' +
          'only if no other service uses this bot; otherwise create a bot just for VS Code.',
      ),
    },
    remove,
  );
  return choice === remove;
}

/** Turns an outcome without a chat into what the user is told. */
function settle(
  deps: ChatCommandDeps,
  handshake: Handshake,
  outcome: DiscoveryOutcome,
): Found | PinResult {
  if (outcome.kind === 'handshake' || outcome.kind === 'chosen') return { chat: outcome.chat };
  if (outcome.kind === 'cancelled') {
    const message = vscode.l10n.t('Stopped waiting for the code; nothing was pinned.');
    deps.notices.info(message);
    return { status: 'cancelled', message };
  }

  const retry = { title: vscode.l10n.t('Try Again'), command: 'telegramNotifier.detectChat' };
  const message =
    outcome.updates === 0
      ? vscode.l10n.t(
          'No message reached the bot while it waited for {0}, so nothing was pinned. Send ' +
            'the code while "Detect and Pin Chat" waits; a message sent earlier does not ' +
            'help: Telegram keeps a bot’s unread messages only 24 hours, and another program ' +
            'using the same bot may have read them already. If that is so, give VS Code a ' +
            'bot of its own.',
          handshake.code,
        )
      : vscode.l10n.t(
          '{0} chat(s) wrote to the bot, but none sent the code {1}, so nothing was pinned. ' +
            'Send the code itself, or pick a chat from the list.',
          outcome.seen.length,
          handshake.code,
        );
  deps.log.info(`Chat detection ended without the code after ${outcome.updates} update(s).`);
  deps.notices.warn(message, retry);
  return { status: 'expired', message };
}

async function pinFound(
  deps: ChatCommandDeps,
  client: BotApiClient,
  bot: ChosenBot,
  found: Found,
): Promise<PinResult> {
  const { chat: c } = found;
  const chat: PinnedChat = { id: c.chatId, title: c.title, type: c.type, botId: bot.botId };
  if (c.topicId) chat.topicId = c.topicId;
  return saveChecked(deps, client, chat);
}

function countdown(handshake: Handshake): string {
  const left = Math.max(0, Math.ceil(handshake.msLeft() / 1000));
  const time = `${Math.floor(left / 60)}:${String(left % 60).padStart(2, '0')}`;
  return vscode.l10n.t('waiting {0} more. Cancel to stop.', time);
}

type PanelItem = vscode.QuickPickItem & { run?: () => unknown; candidate?: ChatCandidate };

/**
 * The instructions (open the private chat, copy the group command or the code) and, below
 * them, the chats seen so far. Picking a chat asks for confirmation; a confirmed pick ends the
 * wait and pins that chat. Closing the list does not stop the wait: the progress notification
 * does.
 */
class InstructionsPanel {
  onConfirmedPick: ((candidate: ChatCandidate) => void) | undefined;
  private readonly pick = vscode.window.createQuickPick<PanelItem>();
  private seen: ChatCandidate[] = [];

  constructor(
    private readonly handshake: Handshake,
    private readonly botName: string,
  ) {
    this.pick.title = vscode.l10n.t('Telegram: Detect and Pin Chat (code {0})', handshake.code);
    this.pick.placeholder = vscode.l10n.t(
      'Waiting for the code: send it from the chat to pin as a row below shows, or pick a chat seen recently',
    );
    this.pick.ignoreFocusOut = true;
    this.pick.busy = true;
    this.pick.items = this.items();
    this.pick.onDidAccept(() => void this.accept(this.pick.selectedItems[0]));
    this.pick.show();
  }

  showSeen(seen: ChatCandidate[]): void {
    this.seen = seen;
    this.pick.items = this.items();
  }

  dispose(): void {
    this.pick.dispose();
  }

  private items(): PanelItem[] {
    const how = this.handshake.instructions();
    const items: PanelItem[] = [
      {
        label: `$(link-external) ${vscode.l10n.t('Private chat: open the bot in Telegram')}`,
        detail: vscode.l10n.t('{0}, then press Start', how.privateLink),
        run: () => vscode.env.openExternal(vscode.Uri.parse(how.privateLink)),
      },
      {
        label: `$(copy) ${vscode.l10n.t('Group or forum topic: copy "{0}"', how.groupCommand)}`,
        detail: vscode.l10n.t('Send it in the group or topic; the bot must be a member'),
        run: () => vscode.env.clipboard.writeText(how.groupCommand),
      },
      {
        label: `$(copy) ${vscode.l10n.t('Channel: copy "{0}"', how.channelText)}`,
        detail: vscode.l10n.t('Post it in the channel; the bot must be an administrator there'),
        run: () => vscode.env.clipboard.writeText(how.channelText),
      },
    ];
    if (this.seen.length) {
      items.push({
        label: vscode.l10n.t('Chats seen in recent updates'),
        kind: vscode.QuickPickItemKind.Separator,
      });
      for (const candidate of this.seen) items.push(this.candidateItem(candidate));
    }
    return items;
  }

  private candidateItem(c: ChatCandidate): PanelItem {
    const what =
      c.source === 'my_chat_member'
        ? `@${this.botName} was added${c.sender ? ` by ${c.sender}` : ''}`
        : `${c.source.includes('channel') ? 'post' : 'message'}${c.sender ? ` from ${c.sender}` : ''}`;
    return {
      label: `$(comment-discussion) ${c.title}`,
      description: `${KIND_NAMES[c.type]}${c.topicId ? `, topic ${c.topicName ?? c.topicId}` : ''} · ${c.chatId}`,
      detail: what,
      candidate: c,
    };
  }

  private async accept(item: PanelItem | undefined): Promise<void> {
    if (item?.run) {
      await item.run();
      return;
    }
    const candidate = item?.candidate;
    if (!candidate) return;
    const pin = vscode.l10n.t('Pin');
    const choice = await vscode.window.showInformationMessage(
      vscode.l10n.t('Pin {0}?', describeCandidate(candidate)),
      {
        modal: true,
        detail: vscode.l10n.t(
          'It was seen in the bot’s recent updates, without the code. Pin it only if it is ' +
            'yours: notifications from this VS Code will go there.',
        ),
      },
      pin,
    );
    const still = this.seen.some((c) => candidateKey(c) === candidateKey(candidate));
    if (choice === pin && still) this.onConfirmedPick?.(candidate);
  }
}
