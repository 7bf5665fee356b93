import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { TEMPLATE_VARIABLES, describeVariables, fillTemplate } from '../../src/core/template';

describe('fillTemplate', () => {
  test('replaces named variables, with or without spaces inside the braces', () => {
    const { text } = fillTemplate('{{name}} took {{ duration }}', { name: 'a', duration: '2 s' });
    assert.equal(text, 'a took 2 s');
  });

  test('drops a line whose variables are all empty, and keeps lines without variables', () => {
    const template = 'head\nWorkspace: {{workspace}}\n{{name}} {{workspace}}\n\ntail';
    const { text } = fillTemplate(template, { name: 'n', workspace: '' });
    assert.equal(text, 'head\nn \n\ntail');
  });

  test('reports unknown variables and renders them as nothing', () => {
    const result = fillTemplate('x{{bogus}}y {{name}}', { name: 'n' });
    assert.deepEqual(result, { text: 'xy n', unknown: ['bogus'] });
  });

  test('does not substitute inside the values it inserts', () => {
    const { text } = fillTemplate('{{name}}', { name: '{{exitCode}}', exitCode: '1' });
    assert.equal(text, '{{exitCode}}');
  });

  test('describes every variable for the settings UI', () => {
    const described = describeVariables();
    for (const name of Object.keys(TEMPLATE_VARIABLES))
      assert.ok(described.includes(`{{${name}}}`));
  });
});

describe('the settings UI', () => {
  test('documents every template variable in telegramNotifier.template', async () => {
    const { default: manifest } = await import('../../package.json', { with: { type: 'json' } });
    const { default: nls } = await import('../../package.nls.json', { with: { type: 'json' } });
    const setting = manifest.contributes.configuration.properties['telegramNotifier.template'];
    // The manifest holds a %key% of package.nls.json, where the English text lives.
    const text = nls[setting.markdownDescription.slice(1, -1) as keyof typeof nls];
    for (const name of Object.keys(TEMPLATE_VARIABLES)) {
      assert.ok(text.includes(`{{${name}}}`), `${name} is documented`);
    }
  });

  test('every setting has a markdownDescription, a default and a scope', async () => {
    const { default: manifest } = await import('../../package.json', { with: { type: 'json' } });
    const settings = Object.entries(manifest.contributes.configuration.properties);
    assert.ok(settings.length > 10);
    for (const [key, setting] of settings) {
      for (const field of ['markdownDescription', 'default', 'scope']) {
        assert.ok(field in setting, `${key} has no ${field}`);
      }
    }
  });
});
