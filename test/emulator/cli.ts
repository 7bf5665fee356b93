/**
 * Runs an emulator by hand and prints what the bot sends:
 *
 *   node --import tsx test/emulator/cli.ts --port 8081 --token 123456789:AA... \
 *     --chat 1001 --chat -1001234567890 --chat @my_channel
 *
 * `--chat` accepts a user id (a user who started the bot), a supergroup id (-100…), a group
 * id (other negative numbers) or an @channel; the bot is a member (an admin in channels).
 * Lines typed on stdin are sent to the bot as private messages from the first user, so a
 * detection flow (`/start CODE`) can be tried. `--limits` turns the flood limits on.
 * A token given with --token is only ever printed masked; the built-in demo token, made up
 * and public, is printed in full so it can be pasted into VS Code.
 */
import * as readline from 'node:readline';
import { parseArgs } from 'node:util';
import { type Emulator, type SentMessage, startEmulator } from './index';
import { maskToken } from './world';

const DEMO_TOKEN = '123456789:AAEmulatorDemoToken_0123456789abcde';

function usage(): string {
  return [
    'usage: cli.ts [--port N] [--token T] [--username NAME] [--chat ID|@name]... [--limits]',
    '              [--quiet]',
  ].join('\n');
}

function setUpChat(emu: Emulator, token: string, ref: string): string {
  if (ref.startsWith('@')) {
    const chat = emu.addChannel({ title: ref.slice(1), username: ref.slice(1), bots: [token] });
    return `channel ${ref} (${chat.id})`;
  }
  const id = Number(ref);
  if (!Number.isSafeInteger(id) || id === 0) throw new Error(`--chat ${ref}: not a chat id`);
  if (id > 0) {
    const user = emu.addUser({ id, firstName: `User ${id}` });
    emu.setStarted(token, user);
    return `private chat with user ${id}`;
  }
  if (String(id).startsWith('-100')) {
    emu.addSupergroup({ id, title: `Supergroup ${id}`, bots: [token] });
    return `supergroup ${id}`;
  }
  emu.addGroup({ id, title: `Group ${id}`, bots: [token] });
  return `group ${id}`;
}

function describeSent(sent: SentMessage): string {
  const where = sent.threadId === undefined ? `${sent.chatId}` : `${sent.chatId}#${sent.threadId}`;
  const mode = sent.parseMode === undefined ? '' : ` [${sent.parseMode}]`;
  const silent = sent.disableNotification ? ' (silent)' : '';
  return `--> message to ${where}${mode}${silent}:\n${sent.text}\n`;
}

/** parseArgs would take `--chat -100…` for two options; glue negative ids to their flag. */
function normalizeArgs(args: string[]): string[] {
  return args.flatMap((arg, i) => {
    if (arg === '--chat' && /^-\d/.test(args[i + 1] ?? '')) return [];
    if (args[i - 1] === '--chat' && /^-\d/.test(arg)) return [`--chat=${arg}`];
    return [arg];
  });
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    args: normalizeArgs(process.argv.slice(2)),
    options: {
      port: { type: 'string', default: '8081' },
      token: { type: 'string', default: DEMO_TOKEN },
      username: { type: 'string', default: 'emulator_bot' },
      chat: { type: 'string', multiple: true, default: [] },
      limits: { type: 'boolean', default: false },
      quiet: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log(usage());
    return;
  }

  const emu = await startEmulator({
    port: Number(values.port),
    limits: values.limits,
    log: values.quiet ? undefined : (line) => console.log(`    ${line}`),
    onSent: (sent) => console.log(describeSent(sent)),
  });
  const token = values.token;
  emu.addBot({ token, username: values.username });
  const chats = values.chat.map((ref) => setUpChat(emu, token, ref));

  console.log(`Telegram Bot API emulator on ${emu.url}`);
  const shown =
    token === DEMO_TOKEN ? `${token} (made up, for this emulator only)` : maskToken(token);
  console.log(`bot @${values.username}, token ${shown}`);
  chats.forEach((chat) => console.log(`  ${chat}`));
  console.log('stdin lines go to the bot as private messages; Ctrl+C stops.\n');

  const firstUser = values.chat.map(Number).find((id) => id > 0);
  const sender = firstUser ?? emu.addUser({ firstName: 'You', username: 'you' }).id;
  readline.createInterface({ input: process.stdin }).on('line', (line) => {
    if (line.trim() !== '') emu.privateMessage(token, sender, line);
  });

  process.once('SIGINT', () => {
    void emu.close().then(() => process.exit(0));
  });
}

main().catch((error: unknown) => {
  console.error(String(error instanceof Error ? error.message : error));
  console.error(usage());
  process.exit(1);
});
