// Simplified Chinese in a real host (scenario "l10n", locale zh-cn): a command title from
// package.nls.zh-cn.json and a notification from l10n/bundle.l10n.zh-cn.json.
//
// VS Code reports a display language only when a language pack for it is installed
// (code-server reads <user-data-dir>/languagepacks.json; see test/host/README.md), and the
// marketplace is unreachable here. So the first run writes a stand-in pack (no translations
// of VS Code's own UI, which then stays English) and reloads the window; the reload reruns
// this suite, now with vscode.env.language === 'zh-cn'.
import * as assert from 'node:assert/strict';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { EXTENSION_ID, activateExtension, eventually, readExtensionLog } from '../helpers';

const LANGUAGE = 'zh-cn';

suite('l10n: Simplified Chinese', () => {
  suiteSetup(async function () {
    if (vscode.env.language === LANGUAGE) return;
    const marker = join(process.env.HOST_TEST_WORKSPACE ?? '', '.l10n-reloaded');
    if (existsSync(marker)) {
      throw new Error(`still "${vscode.env.language}" after installing a ${LANGUAGE} pack`);
    }
    installStandInLanguagePack(process.env.HOST_TEST_USER_DATA_DIR ?? '');
    writeFileSync(marker, new Date().toISOString());
    // The run restarts from the first test after the reload; this one never finishes.
    this.timeout(120_000);
    await vscode.commands.executeCommand('workbench.action.reloadWindow');
    await new Promise(() => undefined);
  });

  test('the display language is zh-cn', () => {
    assert.equal(vscode.env.language, LANGUAGE);
  });

  test('command titles come from package.nls.zh-cn.json', async () => {
    await activateExtension();
    const manifest = vscode.extensions.getExtension(EXTENSION_ID)!.packageJSON;
    type Title = string | { value: string; original: string };
    type Command = { command: string; title: Title };
    // VS Code keeps localized command titles as { value, original }.
    const title = (id: string) => {
      const found: Title = manifest.contributes.commands.find(
        (c: Command) => c.command === id,
      ).title;
      return typeof found === 'string' ? found : found.value;
    };
    assert.equal(title('telegramNotifier.sendTest'), '发送测试消息');
    assert.equal(title('telegramNotifier.setToken'), '设置机器人令牌');
    assert.equal(manifest.contributes.walkthroughs[0].title, '构建结束时收到 Telegram 消息');
  });

  test('a notification comes out in Chinese', async () => {
    await activateExtension();
    await vscode.commands.executeCommand('telegramNotifier.removeToken');

    const log = await eventually('the notice in the log', () => {
      const text = readExtensionLog();
      return text.includes('Told the user:') ? text : undefined;
    });
    assert.match(log, /Told the user: 未存储任何机器人令牌。/);
  });
});

/**
 * What an installed language pack leaves behind for code-server: an entry in
 * languagepacks.json naming a translation file for VS Code's own strings (empty here).
 */
function installStandInLanguagePack(userDataDir: string): void {
  const dir = join(userDataDir, 'stand-in-language-pack');
  mkdirSync(dir, { recursive: true });
  const main = join(dir, 'main.i18n.json');
  writeFileSync(main, JSON.stringify({ contents: {} }));
  const packs = {
    [LANGUAGE]: {
      hash: 'stand-in-1',
      extensions: [{ extensionIdentifier: { id: 'host-test.zh-cn-stand-in' }, version: '1.0.0' }],
      translations: { vscode: main },
      label: '中文(简体)',
    },
  };
  writeFileSync(join(userDataDir, 'languagepacks.json'), JSON.stringify(packs));
}
