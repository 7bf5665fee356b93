import type * as vscode from 'vscode';
import { botIdOf } from '../core/token';

const TOKEN_KEY = (botId: string) => `telegramNotifier.botToken.${botId}`;
const INDEX_KEY = 'telegramNotifier.bots';

export interface StoredBot {
  botId: string;
  username: string;
}

/**
 * Bot tokens in VS Code's SecretStorage, one entry per bot keyed by its numeric id. The list
 * of bots (ids and usernames, not secret) lives there too, so every window of the profile
 * reads the same list. The first bot in the list is the default one.
 */
export class TokenStore {
  /** Tokens read so far, for redaction: a known secret is masked even if malformed. */
  private readonly seen = new Set<string>();

  constructor(private readonly secrets: vscode.SecretStorage) {}

  knownSecrets(): Iterable<string> {
    return this.seen;
  }

  async bots(): Promise<StoredBot[]> {
    const raw = await this.secrets.get(INDEX_KEY);
    if (!raw) return [];
    try {
      const list: unknown = JSON.parse(raw);
      return Array.isArray(list) ? list.filter(isStoredBot) : [];
    } catch {
      return [];
    }
  }

  /** The token of the given bot, or of the default bot. */
  async token(botId?: string): Promise<string | undefined> {
    const id = botId ?? (await this.bots())[0]?.botId;
    if (!id) return undefined;
    const token = await this.secrets.get(TOKEN_KEY(id));
    if (token) this.seen.add(token);
    return token;
  }

  /** Stores a checked token and makes its bot the default. */
  async store(token: string, username: string): Promise<StoredBot> {
    const botId = botIdOf(token);
    if (!botId) throw new Error('A token must start with the bot id.');
    this.seen.add(token);
    await this.secrets.store(TOKEN_KEY(botId), token);
    const others = (await this.bots()).filter((bot) => bot.botId !== botId);
    const bot = { botId, username };
    await this.secrets.store(INDEX_KEY, JSON.stringify([bot, ...others]));
    return bot;
  }

  async remove(botId: string): Promise<boolean> {
    const bots = await this.bots();
    const rest = bots.filter((bot) => bot.botId !== botId);
    await this.secrets.delete(TOKEN_KEY(botId));
    await this.secrets.store(INDEX_KEY, JSON.stringify(rest));
    return rest.length !== bots.length;
  }
}

function isStoredBot(value: unknown): value is StoredBot {
  const v = value as StoredBot;
  return typeof v?.botId === 'string' && typeof v?.username === 'string';
}
