/**
 * A faithful Telegram Bot API emulator on loopback, for unit tests, extension-host tests,
 * the demo and the benchmark. Node built-ins only; nothing happens at import time.
 *
 * ```ts
 * const emu = await startEmulator({ clock: new ManualClock() });
 * const bot = emu.addBot({ token: '123456789:' + 'A'.repeat(35), username: 'ci_bot' });
 * const ann = emu.addUser({ firstName: 'Ann' });
 * emu.privateMessage(bot.token, ann, '/start 4F2A');
 * // ... point the client at emu.url, then:
 * const sent = await emu.waitForMessage({ chatId: ann.id, timeoutMs: 2000 });
 * await emu.close();
 * ```
 */
export {
  Emulator,
  startEmulator,
  type AddBotOptions,
  type AddChatOptions,
  type AddSupergroupOptions,
  type AddUserOptions,
  type BotInfo,
  type EmulatorOptions,
  type SentFilter,
  type WaitOptions,
} from './emulator';
export { ManualClock, systemClock, type Clock } from './clock';
export { apiErrorBody } from './errors';
export type { FaultHandle, FaultSpec } from './faults';
export { TELEGRAM_FLOOD_LIMITS, type FloodLimits } from './limits';
export { MAX_MESSAGE_LENGTH } from './parse-check';
export type { SentMessage } from './send';
export type { RequestRecord } from './server';
export type * from './types';
export { maskToken, maskTokensIn, type ChatRef, type UserRef } from './world';
