/**
 * The pipeline from a finished run to messages: filter, render, hand to the sender for each
 * pinned chat. Knows nothing of the editor.
 */
import type { PinnedChat } from './chats';
import type { FinishedRun } from './events';
import { type FilterContext, type FilterSettings, skipReason } from './filter';
import type { Logger } from './log';
import type { OutgoingMessage } from './delivery';
import { renderRun } from './render';
import { formatDuration } from './events';

export interface NotifierDeps {
  filterSettings(): FilterSettings;
  filterContext(): FilterContext;
  chats(): PinnedChat[];
  /** Queues or sends one message to one chat; must not throw for delivery failures. */
  send(chat: PinnedChat, message: OutgoingMessage): Promise<void>;
  /** Renders a run with the user's format and template; the built-in HTML layout without. */
  render?(run: FinishedRun): OutgoingMessage;
  log: Logger;
}

export class Notifier {
  constructor(private readonly deps: NotifierDeps) {}

  /** Reports one run; resolves when every chat's message has been handed to the sender. */
  async report(run: FinishedRun): Promise<void> {
    const { log } = this.deps;
    const summary =
      `${run.kind} "${run.name}" ended with exit code ${run.exitCode ?? 'unknown'}` +
      ` after ${formatDuration(run.durationMs)}`;

    const reason = skipReason(run, this.deps.filterSettings(), this.deps.filterContext());
    if (reason) {
      // Info, not debug: "why was my build not reported?" is the first question people ask.
      log.info(`${summary}; not reported: ${reason}.`);
      return;
    }
    const chats = this.deps.chats();
    if (chats.length === 0) {
      log.info(`${summary}; no chat is pinned, so nothing is sent.`);
      return;
    }

    log.info(`${summary}; sending to ${chats.length} chat(s).`);
    const { text, parseMode, silent, summary: line } = this.deps.render?.(run) ?? renderRun(run);
    // Only what delivery needs: this object is persisted until the message is delivered.
    const message: OutgoingMessage = { text, parseMode, silent, summary: line };
    await Promise.all(chats.map((chat) => this.deps.send(chat, message)));
  }
}
