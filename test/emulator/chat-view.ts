/**
 * The emulator's chat view: a page on the emulator's own address (`GET /chat`, also `/`)
 * that shows, chat by chat, what each bot sent, rendered from the message entities the way
 * a Telegram client shows them (bold, italic, underline, strikethrough, spoiler, code, pre,
 * links, quotes), and a box to write to a bot as one of the emulator's users
 * (`POST /chat/send`, which is `Emulator.privateMessage`). The list refreshes itself from
 * `GET /chat/feed` every two seconds. Loopback only, no scripts from elsewhere.
 */
import type { SentMessage } from './send';
import type { TgMessageEntity, TgUser } from './types';

/** What the view reads from the emulator and the one thing it does to it. */
export interface ChatViewSource {
  sentMessages(): readonly SentMessage[];
  bots(): { id: number; username: string; token: string }[];
  /** Users who can write to a bot (not bots themselves). */
  users(): TgUser[];
  chatTitle(chatId: number): string;
  topicName(chatId: number, threadId: number): string | undefined;
  privateMessage(token: string, userId: number, text: string): void;
  /** The emulator's clock, so both sides of a chat sort on one time line. */
  now(): number;
}

/** A page to answer with, or undefined when the path is not the chat view's. */
export interface PageAnswer {
  status: number;
  contentType: string;
  body: string;
  headers?: Record<string, string>;
}

/** What a user wrote through the box, kept so the page can show both sides. */
interface UserLine {
  botId: number;
  chatId: number;
  text: string;
  time: number;
}

export class ChatView {
  private readonly written: UserLine[] = [];

  constructor(private readonly source: ChatViewSource) {}

  /** Answers the chat view's paths; undefined for every other path. */
  handle(method: string, path: string, body: Buffer): PageAnswer | undefined {
    if (method === 'GET' && (path === '/' || path === '/chat')) return html(this.page());
    if (method === 'GET' && path === '/chat/feed') return html(this.feed());
    if (method === 'POST' && path === '/chat/send') return this.send(body);
    return undefined;
  }

  private send(body: Buffer): PageAnswer {
    const form = new URLSearchParams(body.toString('utf8'));
    const bot = this.source.bots().find((b) => String(b.id) === form.get('bot'));
    const userId = Number(form.get('user'));
    const user = this.source.users().find((u) => u.id === userId);
    const text = form.get('text')?.trim() ?? '';
    if (!bot || !user || !text) {
      return { status: 400, contentType: 'text/plain; charset=utf-8', body: 'bot, user, text' };
    }
    this.source.privateMessage(bot.token, user.id, text);
    this.written.push({ botId: bot.id, chatId: user.id, text, time: this.source.now() });
    return { status: 303, contentType: 'text/plain', body: '', headers: { location: '/chat' } };
  }

  private page(): string {
    return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<title>Telegram emulator: chats</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>${STYLE}</style></head>
<body>
<header><h1>Telegram emulator</h1><p>What the bots sent, as Telegram shows it.</p></header>
<main id="feed">${this.feed()}</main>
${this.form()}
<script>${SCRIPT}</script>
</body></html>`;
  }

  /** The chats, each with its messages oldest first; bot messages and what users wrote. */
  private feed(): string {
    const bots = new Map(this.source.bots().map((b) => [b.id, b.username]));
    const lines = [
      ...this.source.sentMessages().map((sent) => ({ from: 'bot' as const, sent })),
      ...this.written.map((line) => ({ from: 'user' as const, line })),
    ];
    const chats = new Map<string, string[]>();
    const order = lines
      .map((l) => ({ l, time: l.from === 'bot' ? l.sent.time : l.line.time }))
      .sort((a, b) => a.time - b.time);
    for (const { l } of order) {
      const chatId = l.from === 'bot' ? l.sent.chatId : l.line.chatId;
      const botId = l.from === 'bot' ? l.sent.botId : l.line.botId;
      const key = `${chatId}:${botId}`;
      const bubble = l.from === 'bot' ? this.botBubble(l.sent, bots) : userBubble(l.line);
      chats.set(key, [...(chats.get(key) ?? []), bubble]);
    }
    if (chats.size === 0) return '<p class="empty">No messages yet.</p>';
    return [...chats]
      .map(([key, bubbles]) => {
        const [chatId, botId] = key.split(':').map(Number);
        const title = escape(this.source.chatTitle(chatId!));
        const bot = escape(bots.get(botId!) ?? String(botId));
        return (
          `<section class="chat" data-chat-id="${chatId}"><h2>${title}` +
          ` <small>${chatId} · @${bot}</small></h2>${bubbles.join('')}</section>`
        );
      })
      .join('');
  }

  private botBubble(sent: SentMessage, bots: Map<number, string>): string {
    const topic =
      sent.threadId === undefined
        ? ''
        : `<div class="topic"># ${escape(this.source.topicName(sent.chatId, sent.threadId) ?? String(sent.threadId))}</div>`;
    const flags = [
      sent.parseMode ? escape(sent.parseMode) : 'plain text',
      sent.disableNotification ? '🔕 silent' : '',
    ].filter(Boolean);
    return (
      `<article class="message bot" data-message-id="${sent.message.message_id}">${topic}` +
      `<div class="from">@${escape(bots.get(sent.botId) ?? String(sent.botId))}</div>` +
      `<div class="text">${renderEntities(sent.text, sent.entities)}</div>` +
      `<div class="meta">${clock(sent.time)} · ${flags.join(' · ')}</div></article>`
    );
  }

  private form(): string {
    const bots = this.source.bots();
    const users = this.source.users();
    if (bots.length === 0 || users.length === 0) return '';
    const option = (value: number, label: string) =>
      `<option value="${value}">${escape(label)}</option>`;
    const name = (u: TgUser) => [u.first_name, u.last_name].filter(Boolean).join(' ');
    return `<form method="post" action="/chat/send" id="send">
<label>As <select name="user">${users.map((u) => option(u.id, name(u))).join('')}</select></label>
<label>to <select name="bot">${bots.map((b) => option(b.id, `@${b.username}`)).join('')}</select></label>
<input name="text" placeholder="Message, e.g. /start CODE" autocomplete="off" required>
<button type="submit">Send</button>
</form>`;
  }
}

function userBubble(line: UserLine): string {
  return (
    `<article class="message user"><div class="text">${escape(line.text)}</div>` +
    `<div class="meta">${clock(line.time)}</div></article>`
  );
}

/**
 * The text as HTML, with each entity as the element a Telegram client would show. Entities
 * nest (the parse modes produce proper nesting); offsets count UTF-16 code units, as
 * JavaScript strings do.
 */
export function renderEntities(text: string, entities: readonly TgMessageEntity[]): string {
  const sorted = [...entities].sort((a, b) => a.offset - b.offset || b.length - a.length);
  return build(text, 0, text.length, sorted);
}

function build(text: string, start: number, end: number, entities: TgMessageEntity[]): string {
  let out = '';
  let pos = start;
  for (let i = 0; i < entities.length;) {
    const entity = entities[i]!;
    const stop = Math.min(entity.offset + entity.length, end);
    const inner: TgMessageEntity[] = [];
    let j = i + 1;
    while (j < entities.length && entities[j]!.offset < stop) inner.push(entities[j++]!);
    out += escape(text.slice(pos, entity.offset));
    out += wrap(entity, build(text, entity.offset, stop, inner), text.slice(entity.offset, stop));
    pos = stop;
    i = j;
  }
  return out + escape(text.slice(pos, end));
}

function wrap(entity: TgMessageEntity, inner: string, raw: string): string {
  switch (entity.type) {
    case 'bold':
      return `<b>${inner}</b>`;
    case 'italic':
      return `<i>${inner}</i>`;
    case 'underline':
      return `<u>${inner}</u>`;
    case 'strikethrough':
      return `<s>${inner}</s>`;
    case 'spoiler':
      return `<span class="spoiler" title="spoiler">${inner}</span>`;
    case 'code':
      return `<code>${inner}</code>`;
    case 'pre': {
      const language = entity.language ? ` class="language-${escape(entity.language)}"` : '';
      return `<pre><code${language}>${inner}</code></pre>`;
    }
    case 'text_link':
      return `<a href="${escape(entity.url ?? '')}" rel="noreferrer">${inner}</a>`;
    case 'url':
      return `<a href="${escape(raw)}" rel="noreferrer">${inner}</a>`;
    case 'blockquote':
    case 'expandable_blockquote':
      return `<blockquote>${inner}</blockquote>`;
    default:
      return `<span class="entity-${escape(entity.type)}">${inner}</span>`;
  }
}

function escape(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}

function clock(epochMs: number): string {
  return new Date(epochMs).toISOString().slice(11, 19);
}

function html(body: string): PageAnswer {
  return { status: 200, contentType: 'text/html; charset=utf-8', body };
}

const STYLE = `
body { font: 15px/1.4 system-ui, sans-serif; margin: 0; background: #dfe7ef; color: #111; }
header { background: #517da2; color: #fff; padding: 8px 16px; }
header h1 { font-size: 18px; margin: 0; } header p { margin: 2px 0 0; opacity: .85; }
main { padding: 8px 16px 96px; max-width: 760px; }
.chat h2 { font-size: 15px; margin: 16px 0 6px; } .chat h2 small { color: #667; font-weight: normal; }
.message { background: #fff; border-radius: 10px; padding: 6px 10px; margin: 6px 0;
  max-width: 560px; box-shadow: 0 1px 1px #0002; white-space: pre-wrap; overflow-wrap: anywhere; }
.message.user { background: #effdde; margin-left: auto; }
.from { color: #3a6d99; font-weight: 600; font-size: 13px; }
.topic { color: #a0522d; font-size: 12px; }
.meta { color: #8a9aa9; font-size: 11px; text-align: right; }
code { font-family: ui-monospace, monospace; background: #f1f3f5; border-radius: 3px; padding: 0 2px; }
pre { background: #f1f3f5; border-radius: 6px; padding: 6px 8px; margin: 4px 0; white-space: pre-wrap; }
pre code { background: none; padding: 0; }
blockquote { border-left: 3px solid #517da2; margin: 4px 0; padding-left: 8px; }
.spoiler { background: #999; color: transparent; border-radius: 3px; cursor: pointer; }
.spoiler.shown { background: #e4e4e4; color: inherit; }
a { color: #2a7bd3; }
.empty { color: #667; }
form { position: fixed; bottom: 0; left: 0; right: 0; display: flex; gap: 8px; padding: 10px 16px;
  background: #fff; border-top: 1px solid #ccd; align-items: center; }
form input { flex: 1; padding: 6px; }
`;

const SCRIPT = `
document.addEventListener('click', (e) => {
  if (e.target.classList && e.target.classList.contains('spoiler')) e.target.classList.add('shown');
});
setInterval(async () => {
  try {
    const res = await fetch('/chat/feed');
    if (res.ok) document.getElementById('feed').innerHTML = await res.text();
  } catch {}
}, 2000);
`;
