/**
 * The handshake that proves which chat belongs to the user: a one-time code the user sends to
 * the bot from the chat to pin. Only an update that carries the code pins anything, so a
 * stranger who writes to the bot first (or a group member saying hello) pins nothing.
 */
import { randomInt } from 'node:crypto';
import type { ChatCandidate } from './candidates';

/** Letters and digits that survive being read aloud or typed from a phone: no 0/O, 1/I/L. */
const ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
const CODE_LENGTH = 10;

/**
 * What a caller-chosen code must look like: a `start` parameter of a t.me link allows up to
 * 64 of `A-Z a-z 0-9 _ -` (https://core.telegram.org/bots/features#deep-linking); 8 or more
 * keep it unguessable for the minutes it lives.
 */
const GIVEN_CODE = /^[A-Za-z0-9_-]{8,64}$/;

export class HandshakeCodeError extends Error {
  override readonly name = 'HandshakeCodeError';
}

/** A fresh code: 10 characters from a 31-letter alphabet (about 49 bits), from node:crypto. */
export function newHandshakeCode(): string {
  let code = '';
  for (let i = 0; i < CODE_LENGTH; i++) code += ALPHABET[randomInt(ALPHABET.length)];
  return code;
}

export interface HandshakeOptions {
  /** The bot's @username without the `@`, for links and for commands addressed to it. */
  botUsername: string;
  /** How long the code is accepted, in milliseconds. */
  ttlMs: number;
  now: () => number;
  /** A caller-chosen code (scripts and tests); a random one when absent. */
  code?: string;
}

/** How the user sends the code from each kind of chat. */
export interface HandshakeInstructions {
  /** Opens the private chat with the bot and sends `/start CODE` with one tap. */
  privateLink: string;
  /** Typed in a group or a forum topic the bot belongs to. */
  groupCommand: string;
  /** Posted in a channel where the bot is an administrator. */
  channelText: string;
}

/** A single-use, expiring code and the rule that recognises it in an update. */
export class Handshake {
  readonly code: string;
  readonly expiresAt: number;
  private claimed = false;

  constructor(private readonly options: HandshakeOptions) {
    if (options.code !== undefined && !GIVEN_CODE.test(options.code)) {
      throw new HandshakeCodeError(
        'A handshake code must be 8 to 64 letters, digits, "_" or "-" (a t.me start parameter).',
      );
    }
    this.code = options.code ?? newHandshakeCode();
    this.expiresAt = options.now() + options.ttlMs;
  }

  instructions(): HandshakeInstructions {
    const bot = this.options.botUsername;
    return {
      privateLink: `https://t.me/${bot}?start=${this.code}`,
      groupCommand: `/start@${bot} ${this.code}`,
      channelText: this.code,
    };
  }

  isExpired(): boolean {
    return this.msLeft() <= 0;
  }

  /** Milliseconds until the code expires (negative once it has). */
  msLeft(): number {
    return this.expiresAt - this.options.now();
  }

  /** Whether the code was already used to pin a chat. */
  isClaimed(): boolean {
    return this.claimed;
  }

  /**
   * True when the candidate carries the code, and the code is still unused and unexpired;
   * that use spends the code. Commands addressed to another bot (`/start@other CODE`) do not
   * count: that bot, not ours, was asked.
   */
  claim(candidate: ChatCandidate): boolean {
    if (this.claimed || this.isExpired() || !this.matches(candidate.text)) return false;
    this.claimed = true;
    return true;
  }

  /** The same test as {@link claim}, without spending the code. */
  matches(text: string | undefined): boolean {
    if (!text) return false;
    // A command addressed to another bot anywhere in the text ("hi /start@other CODE", or
    // one behind an invisible character) is that bot's, not ours.
    const bot = this.options.botUsername.toLowerCase();
    for (const command of text.matchAll(/\/[A-Za-z0-9_]+@([A-Za-z0-9_]+)/g)) {
      if (command[1].toLowerCase() !== bot) return false;
    }
    // The code as a whole word: "/start CODE", "CODE", "…?start=CODE" all count; "xCODEx" not.
    const escaped = this.code.replace(/[-]/g, '\\-');
    return new RegExp(`(^|[^A-Za-z0-9_-])${escaped}($|[^A-Za-z0-9_-])`, 'i').test(text);
  }
}
