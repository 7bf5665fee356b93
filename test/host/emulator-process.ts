// The Bot API emulator in a Node process of its own, for host tests that must outlive the
// extension host (a window reload kills the host that started it). A test starts it
// detached with `startExternalEmulator` from `external-emulator.ts`; this file is bundled
// to out/test/host/emulator-process.js by `node scripts/build.mjs --tests`.
//
// Usage: node emulator-process.js STATE_FILE TOKEN [LIFETIME_MS]
// Writes {"url","control","userId","pid"} to STATE_FILE once it listens. The control
// endpoint (loopback HTTP, GET) answers:
//   /refuse?on=1|0   refuse or accept connections to the Bot API
//   /sent            the texts delivered to the user's chat, oldest first
//   /stop            closes everything and exits
// It exits by itself after LIFETIME_MS (default 10 minutes), so a failed run leaves nothing.
import { writeFileSync, renameSync } from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { startEmulator } from '../emulator';

async function main(): Promise<void> {
  const [stateFile, token, lifetime] = process.argv.slice(2);
  if (!stateFile || !token) throw new Error('usage: emulator-process.js STATE_FILE TOKEN');
  setTimeout(() => process.exit(0), Number(lifetime ?? 600_000)).unref();

  const emu = await startEmulator();
  emu.addBot({ token, username: 'reload_bot' });
  const user = emu.addUser({ firstName: 'Rae' });
  emu.setStarted(token, user);

  const control = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://control');
    const reply = (body: unknown) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (url.pathname === '/refuse') {
      void emu.refuseConnections(url.searchParams.get('on') === '1').then(() => reply(true));
    } else if (url.pathname === '/sent') {
      reply(emu.sentMessages({ chatId: user.id }).map((m) => m.text));
    } else if (url.pathname === '/stop') {
      reply(true);
      void emu.close().finally(() => process.exit(0));
    } else {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => control.listen(0, '127.0.0.1', resolve));

  const port = (control.address() as AddressInfo).port;
  const state = { url: emu.url, control: `http://127.0.0.1:${port}`, userId: user.id };
  writeFileSync(`${stateFile}.tmp`, JSON.stringify({ ...state, pid: process.pid }));
  renameSync(`${stateFile}.tmp`, stateFile);
}

main().catch((err: unknown) => {
  process.stderr.write(`${String(err)}\n`);
  process.exit(1);
});
