import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { PROTECTED_SETTINGS, protectedSettingsIn } from '../../src/core/workspace-settings';

describe('protectedSettingsIn', () => {
  test('finds the routing settings a workspace settings file tries to set', () => {
    const text = readFileSync(
      'test/host/fixtures/untrusted-settings/.vscode/settings.json',
      'utf8',
    );
    assert.deepEqual(protectedSettingsIn(text), [
      'telegramNotifier.apiBaseUrl',
      'telegramNotifier.chats',
      'http.proxy',
    ]);
  });

  test('keys in line and block comments do not count', () => {
    const text = [
      '{',
      '  // "telegramNotifier.apiBaseUrl": "http://evil.example",',
      '  /* "telegramNotifier.chats": [1],',
      '     "http.proxy": "http://p" */',
      '  "editor.tabSize": 2, // "http.proxy": "x"',
      '}',
    ].join('\n');
    assert.deepEqual(protectedSettingsIn(text), []);
  });

  test('a URL value with // does not hide a key that follows it', () => {
    const text = '{ "x": "http://a.example/*", "telegramNotifier.chats": [42] }';
    assert.deepEqual(protectedSettingsIn(text), ['telegramNotifier.chats']);
  });

  test('a setting name as a value, or other settings with the same prefix, do not count', () => {
    const text = JSON.stringify({
      'editor.comment': 'telegramNotifier.apiBaseUrl',
      'telegramNotifier.apiBaseUrlNote': 1,
      'http.proxyStrictSSL': false,
      'telegramNotifier.format': 'text',
    });
    assert.deepEqual(protectedSettingsIn(text), []);
  });

  test('every protected setting is restricted in untrusted workspaces by the manifest', () => {
    const manifest = JSON.parse(readFileSync('package.json', 'utf8'));
    const restricted: string[] = manifest.capabilities.untrustedWorkspaces.restrictedConfigurations;
    const properties = manifest.contributes.configuration.properties;
    for (const key of PROTECTED_SETTINGS.filter((k) => k.startsWith('telegramNotifier.'))) {
      assert.ok(restricted.includes(key), `${key} is not in restrictedConfigurations`);
      assert.equal(properties[key].scope, 'application', `${key} can be set by a workspace`);
    }
  });
});
