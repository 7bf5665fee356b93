// Issue #5's acceptance in a real window reload (scenario "reload"): runs that end while
// the Bot API refuses connections wait in the outbox; the window reloads while a second
// window on the same profile stays open; once the API is back, each queued message arrives
// exactly once, sent by whichever window adopted it.
//
// A reload kills this extension host and runs the suite again from the start in a new one
// (test/host/README.md, "Limits"), so the test keeps its phase in a file in the workspace,
// and the emulator runs in a process of its own (test/host/emulator-process.ts) that the
// reload does not touch.
import * as assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import * as vscode from 'vscode';
import {
  type ExternalEmulator,
  readExternalEmulator,
  refuseConnections,
  sentTexts,
  startExternalEmulator,
  stopExternalEmulator,
} from '../external-emulator';
import {
  activateExtension,
  eventually,
  fakeToken,
  findUnder,
  runTask,
  setUserSetting,
  userDataDir,
} from '../helpers';
import { outboxMessages } from '../outbox-files';

const TOKEN = fakeToken(7006666666, 'r');

interface Phase {
  phase: 'reloading' | 'after-reload';
  /** The extension host that asked for the reload. */
  hostPid: number;
}

suite('window reload: queued messages survive it', function () {
  const workspace = process.env.HOST_TEST_WORKSPACE ?? '';
  const phaseFile = join(workspace, '.reload-phase.json');
  const stateFile = join(workspace, '.reload-emulator.json');

  suiteSetup(function () {
    if (process.env.HOST_TEST_SCENARIO !== 'reload' || !workspace) this.skip();
  });

  test('runs queued during an outage are delivered once each after the window reloads', async function () {
    this.timeout(240_000);
    const phase = existsSync(phaseFile)
      ? (JSON.parse(readFileSync(phaseFile, 'utf8')) as Phase)
      : undefined;
    if (phase === undefined) await beforeReload();
    else await afterReload(phase);
  });

  /** Phase 1: an emulator outside this host, three runs queued while it refuses, reload. */
  async function beforeReload(): Promise<never> {
    const emu = await startExternalEmulator(stateFile, TOKEN);
    await activateExtension();
    await setUserSetting('apiBaseUrl', emu.url);
    await setUserSetting('chats', [{ id: emu.userId, title: 'Rae', type: 'private' }]);
    await setUserSetting('minDurationSeconds', 0);
    await setUserSetting('notify.terminalCommands', false);
    assert.ok(await vscode.commands.executeCommand('telegramNotifier.setToken', TOKEN));

    await openSecondWindow();

    await refuseConnections(emu, true);
    assert.equal(await runTask('build-fails'), 3);
    assert.equal(await runTask('build-passes'), 0);
    assert.equal(await runTask('build-fails'), 3);
    await eventually('three messages in the outbox', () =>
      outboxMessages().length === 3 ? true : undefined,
    );

    const next: Phase = { phase: 'reloading', hostPid: process.pid };
    writeFileSync(phaseFile, JSON.stringify(next));
    console.log(`reload test: 3 messages queued in host ${process.pid}; reloading the window`);
    await vscode.commands.executeCommand('workbench.action.reloadWindow');
    // This host is killed by the reload; the suite starts again in the new one.
    return new Promise<never>(() => undefined);
  }

  /**
   * A second window on the same profile, open through the reload (code-server runner only:
   * it opens one when a test logs `HOST-OPEN-WINDOW`). Opened after the token is stored:
   * a web workbench reads SecretStorage once, when its page loads.
   */
  async function openSecondWindow(): Promise<void> {
    if (process.env.HOST_TEST_RUNNER !== 'code-server') return;
    console.log('HOST-OPEN-WINDOW');
    await eventually(
      'the extension active in a second window',
      () => (extensionLogs('Telegram Notifier is active.').length >= 2 ? true : undefined),
      90_000,
    );
  }

  /** Phase 2, in the new extension host: the API comes back; each message arrives once. */
  async function afterReload(before: Phase): Promise<void> {
    assert.equal(before.phase, 'reloading', 'the suite ran a third time: the reload looped');
    writeFileSync(phaseFile, JSON.stringify({ ...before, phase: 'after-reload' }));
    assert.notEqual(process.pid, before.hostPid, 'a new extension host runs this phase');
    const emu = readExternalEmulator(stateFile);
    try {
      await activateExtension();
      assert.deepEqual(await sentTexts(emu), [], 'nothing arrived during the outage');
      await refuseConnections(emu, false);

      await eventually(
        'three runs delivered',
        async () => (await count(emu)).total >= 3 || undefined,
        120_000,
      );
      // Anything sent twice would arrive within a few more seconds.
      await new Promise((resolve) => setTimeout(resolve, 5_000));
      const { fails, passes, total, texts } = await count(emu);
      const all = texts.join('\n---\n');
      assert.equal(fails, 2, all);
      assert.equal(passes, 1, all);
      assert.equal(total, 3, all);
      await eventually('an empty outbox', () => (outboxMessages().length === 0 ? true : undefined));

      // Which window sent them: the reloaded one, or another window that adopted the file.
      // A window that finds several waiting may merge them into a digest, so the log's
      // delivery lines are counted by the messages each one carried.
      const senders = deliveriesLogged('Rae');
      console.log(`reload test: delivered by ${senders.map((s) => s.host).join(', ')}`);
      const deliveries = senders.reduce((n, s) => n + s.count, 0);
      assert.equal(deliveries, 3, 'three messages delivered across all windows, none twice');
    } finally {
      await stopExternalEmulator(emu);
      for (const key of ['chats', 'apiBaseUrl', 'minDurationSeconds', 'notify.terminalCommands']) {
        await setUserSetting(key, undefined);
      }
    }
  }
});

/** Verdicts found in what the user's chat received (a digest counts each of its lines). */
async function count(emu: ExternalEmulator) {
  const texts = await sentTexts(emu);
  const matches = (pattern: RegExp) =>
    texts.reduce((n, text) => n + (text.match(pattern)?.length ?? 0), 0);
  const fails = matches(/Task build-fails failed/g);
  const passes = matches(/Task build-passes succeeded/g);
  return { fails, passes, total: fails + passes, texts };
}

/**
 * The extension's log files (one per extension host, so one per window and reload) that
 * contain `line`, with how often.
 */
function extensionLogs(line: string): { host: string; count: number }[] {
  return hostLogs((text) => text.split(line).length - 1);
}

/** Like {@link extensionLogs}, counting the messages delivered to `chat` (a digest of N is N). */
function deliveriesLogged(chat: string): { host: string; count: number }[] {
  const line = new RegExp(`Delivered (?:message|a digest of (\\d+) messages) to ${chat}\\b`, 'g');
  return hostLogs((text) =>
    [...text.matchAll(line)].reduce((n, m) => n + (m[1] ? Number(m[1]) : 1), 0),
  );
}

function hostLogs(count: (text: string) => number): { host: string; count: number }[] {
  const root = join(userDataDir(), 'logs');
  return findUnder(root, (name) => name === 'Telegram Notifier.log')
    .map((file) => ({
      host: relative(root, file).split(sep).slice(0, 2).join('/'),
      count: count(readFileSync(file, 'utf8')),
    }))
    .filter((log) => log.count > 0);
}
