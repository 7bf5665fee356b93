/**
 * Every user-facing text has its translations: the `%key%`s of package.json in each
 * package.nls file, and every `l10n.t('…')` text in src/ in each l10n/bundle.l10n.*.json.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import ts from 'typescript';
import { english } from '../../src/core/l10n';

const root = join(import.meta.dirname, '..', '..');
const readJson = (file: string) => JSON.parse(readFileSync(join(root, file), 'utf8'));
const manifest = readJson('package.json');
const LANGUAGES = ['zh-cn'];

/** The `%key%` placeholders anywhere in a JSON value. */
function nlsKeys(value: unknown, found = new Set<string>()): Set<string> {
  if (typeof value === 'string') {
    const match = /^%([^%]+)%$/.exec(value);
    if (match) found.add(match[1]!);
  } else if (value && typeof value === 'object') {
    for (const inner of Object.values(value)) nlsKeys(inner, found);
  }
  return found;
}

/** The texts of `l10n.t(...)` calls in a folder's .ts files, with the call's location. */
export function localizedTexts(dir: string): Map<string, string> {
  const texts = new Map<string, string>();
  for (const entry of readdirSync(dir, { recursive: true, encoding: 'utf8' })) {
    if (!entry.endsWith('.ts')) continue;
    const file = join(dir, entry);
    const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest);
    const visit = (node: ts.Node): void => {
      if (ts.isCallExpression(node) && /(^|\.)l10n\.t$/.test(node.expression.getText(source))) {
        const where = `${entry}:${source.getLineAndCharacterOfPosition(node.pos).line + 1}`;
        const text = literal(node.arguments[0]);
        if (text === undefined) throw new Error(`${where}: l10n.t needs a literal text`);
        texts.set(text, where);
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  return texts;
}

/** A string literal or a `+` of string literals; undefined for anything computed. */
function literal(node: ts.Node | undefined): string | undefined {
  if (!node) return undefined;
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return node.text;
  if (ts.isParenthesizedExpression(node)) return literal(node.expression);
  if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.PlusToken) {
    const left = literal(node.left);
    const right = literal(node.right);
    return left === undefined || right === undefined ? undefined : left + right;
  }
  return undefined;
}

describe('localization', () => {
  test('every %key% of the manifest has an English text and a translation', () => {
    const keys = nlsKeys(manifest);
    assert.ok(keys.size > 40);
    for (const file of ['package.nls.json', ...LANGUAGES.map((l) => `package.nls.${l}.json`)]) {
      const nls = readJson(file);
      for (const key of keys) assert.ok(typeof nls[key] === 'string', `${file} lacks ${key}`);
      for (const key of Object.keys(nls)) assert.ok(keys.has(key), `${file}: unused ${key}`);
    }
  });

  test('every l10n.t text in src/ has a translation, and no translation is stale', () => {
    const texts = localizedTexts(join(root, 'src'));
    assert.ok(texts.size > 50, `only ${texts.size} texts found`);
    for (const language of LANGUAGES) {
      const bundle = readJson(`l10n/bundle.l10n.${language}.json`);
      const missing = [...texts].filter(([text]) => typeof bundle[text] !== 'string');
      assert.deepEqual(missing, [], `bundle.l10n.${language}.json lacks these`);
      const stale = Object.keys(bundle).filter((text) => !texts.has(text));
      assert.deepEqual(stale, [], `bundle.l10n.${language}.json has texts no code uses`);
    }
  });

  test('translations keep every {n} placeholder of the English text', () => {
    for (const language of LANGUAGES) {
      const bundle: Record<string, string> = readJson(`l10n/bundle.l10n.${language}.json`);
      for (const [text, translated] of Object.entries(bundle)) {
        const holes = (s: string) => (s.match(/\{\d+\}/g) ?? []).sort().join();
        assert.equal(holes(translated), holes(text), `${language}: ${text}`);
      }
    }
  });

  test('the manifest declares the l10n folder and the walkthrough media exist', () => {
    assert.equal(manifest.l10n, './l10n');
    for (const walkthrough of manifest.contributes.walkthroughs) {
      for (const step of walkthrough.steps) {
        assert.ok(existsSync(join(root, step.media.markdown)), step.media.markdown);
      }
    }
  });

  test('the English localizer fills numbered placeholders and leaves unknown ones', () => {
    assert.equal(english.t('{1} then {0}, {2}', 'a', 3), '3 then a, {2}');
  });
});
