// Rendering checked against Telegram's parse rules as the Bot API emulator implements them
// (test/emulator/parse-*.ts), never against the renderer's own escaping.
//
// Property runs use a fixed seed; set FC_RUNS (e.g. FC_RUNS=20000) for a longer search and
// FC_SEED to replay a failure fast-check reported.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import type { MessageFormat } from '../../src/core/escape';
import type { FinishedRun } from '../../src/core/events';
import { MAX_MESSAGE_LENGTH, renderRun } from '../../src/core/render';
import { finishMessageText, parseMessageText } from '../emulator/parse-check';

const FORMATS: MessageFormat[] = ['html', 'markdown', 'text'];
const fcParams = {
  seed: Number(process.env.FC_SEED ?? 4242),
  numRuns: Number(process.env.FC_RUNS ?? 300),
};

const failed: FinishedRun = {
  kind: 'task',
  name: 'build',
  workspace: 'app',
  source: 'Workspace',
  exitCode: 2,
  durationMs: 83_000,
  outputTail: 'compiling\nerror: it broke',
  endedAt: 0,
};

/** What Telegram would show: the text after parsing, or the error it would answer with. */
function telegramView(run: FinishedRun, format: MessageFormat, template?: string) {
  const message = renderRun(run, { format, template });
  const parsed = finishMessageText(
    parseMessageText(message.text, message.parseMode, { strictAmpersand: true }),
  );
  return { message, parsed };
}

/** True when no surrogate stands alone (a halved emoji would). */
function isWellFormed(text: string): boolean {
  return !/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(text);
}

const NASTY_NAMES = [
  'a < b > c & d',
  '_*[]()~`>#+-=|{}.!\\',
  'it\'s "quoted" and `ticked`',
  '&amp; &lt;b&gt; <b>not bold</b> *not bold*',
  'deploy 🚀👨‍👩‍👧 done ✅',
  'بناء المشروع ‏(RTL) ‎שלום',
  'line one\nline two',
  'C:\\Users\\me\\project',
];

describe('renderRun', () => {
  for (const format of FORMATS) {
    test(`in ${format} format, names with markup characters parse and show literally`, () => {
      for (const name of NASTY_NAMES) {
        const { parsed } = telegramView({ ...failed, name, workspace: name, source: name }, format);
        const shown = name.replace(/\s+/g, ' ');
        assert.ok(parsed.text.includes(shown), `${format} lost ${JSON.stringify(name)}`);
      }
    });

    test(`in ${format} format, 100 000 characters of output keep the verdict and the last lines`, () => {
      const lines = Array.from({ length: 5000 }, (_, i) => `line ${i} <&>_*.!\\\``);
      const outputTail = lines.join('\n').padEnd(100_000, '#');
      const { parsed } = telegramView({ ...failed, outputTail }, format);
      assert.ok(parsed.text.length <= MAX_MESSAGE_LENGTH);
      assert.ok(parsed.text.length > MAX_MESSAGE_LENGTH - 300, 'the room was used');
      assert.match(parsed.text, /Task build failed/);
      assert.match(parsed.text, /Exit code: 2/);
      assert.ok(parsed.text.endsWith(outputTail.slice(-200)));
    });

    test(`in ${format} format, an empty template falls back to the built-in one`, () => {
      for (const template of ['', '   \n ']) {
        const { parsed, message } = telegramView(failed, format, template);
        assert.match(parsed.text, /Task build failed/);
        assert.deepEqual(message.problems, []);
      }
    });
  }

  test('puts the name in bold in HTML and MarkdownV2', () => {
    for (const format of ['html', 'markdown'] as const) {
      const name = 'a*b_c<d>';
      const { parsed } = telegramView({ ...failed, name }, format);
      const bold = parsed.entities.find((e) => e.type === 'bold');
      assert.ok(bold, `${format} has a bold entity`);
      assert.equal(parsed.text.slice(bold.offset, bold.offset + bold.length), name);
    }
  });

  test('puts the output tail in a pre block in HTML and MarkdownV2', () => {
    for (const format of ['html', 'markdown'] as const) {
      const outputTail = 'x < y && `z` \\ w';
      const { parsed } = telegramView({ ...failed, outputTail }, format);
      const pre = parsed.entities.find((e) => e.type === 'pre');
      assert.ok(pre, `${format} has a pre entity`);
      assert.equal(parsed.text.slice(pre.offset, pre.offset + pre.length).trim(), outputTail);
    }
  });

  test('the summary is the verdict line on one line, and parses on its own', () => {
    for (const format of FORMATS) {
      const run = { ...failed, name: 'a\n<b>_x_' };
      const { summary, parseMode } = renderRun(run, { format });
      const parsed = parseMessageText(summary, parseMode, { strictAmpersand: true });
      assert.equal(parsed.text, '❌ Task a <b>_x_ failed');
    }
  });

  test('a template that renders nothing visible falls back and says why', () => {
    const { parsed, message } = telegramView(
      { ...failed, workspace: undefined },
      'html',
      '<b>{{workspace}}</b>\n<i></i>',
    );
    assert.match(parsed.text, /Task build failed/);
    assert.match(message.problems.join(), /empty/);
  });

  test('a template too long for 4096 characters falls back to the built-in one', () => {
    const { parsed, message } = telegramView(failed, 'text', `{{name}} ${'x'.repeat(5000)}`);
    assert.match(parsed.text, /^❌ Task build failed/);
    assert.match(message.problems.join(), /no room/);
  });

  test('a custom template fills named variables escaped for its format', () => {
    const run = { ...failed, name: 'v1.2-rc!', exitCode: -1 };
    const { parsed, message } = telegramView(
      run,
      'markdown',
      '*{{name}}* {{verdict}} \\({{exitCode}}\\) in {{duration}}{{nope}}',
    );
    assert.equal(parsed.text, 'v1.2-rc! failed (-1) in 1 min 23 s');
    assert.match(message.problems.join(), /unknown template variables: nope/);
  });

  test('leaves out lines whose variables are all empty', () => {
    const { parsed } = telegramView({ ...failed, workspace: undefined, source: undefined }, 'html');
    assert.doesNotMatch(parsed.text, /Workspace|Source/);
  });

  test('shows no output for a success and says when the exit code is unknown', () => {
    const ok = telegramView({ ...failed, exitCode: 0 }, 'html').parsed.text;
    assert.doesNotMatch(ok, /it broke/);
    assert.match(ok, /✅ Task build succeeded/);
    const unknown = telegramView({ ...failed, exitCode: undefined }, 'html').parsed.text;
    assert.match(unknown, /⚪ Task build finished\nExit code: unknown/);
    assert.match(unknown, /it broke/);
  });

  test('sends successes silently only when asked, and failures always with sound', () => {
    const success = { ...failed, exitCode: 0 };
    assert.equal(renderRun(success, { format: 'html', silentSuccess: true }).silent, true);
    assert.equal(renderRun(success, { format: 'html' }).silent, false);
    assert.equal(renderRun(failed, { format: 'html', silentSuccess: true }).silent, false);
  });

  test('never halves an emoji when cutting the output', () => {
    const outputTail = '😀'.repeat(10_000);
    for (const format of FORMATS) {
      const { parsed } = telegramView({ ...failed, outputTail }, format);
      assert.ok(isWellFormed(parsed.text), 'no lone surrogate');
    }
  });

  test('shortens a very long name and still fits the limit', () => {
    const name = '<&>'.repeat(3000);
    for (const format of FORMATS) {
      const { parsed } = telegramView({ ...failed, name, workspace: name, source: name }, format);
      assert.ok(parsed.text.length <= MAX_MESSAGE_LENGTH);
      assert.match(parsed.text, /…/);
      assert.match(parsed.text, /Exit code: 2/);
    }
  });

  test('any run renders to a message Telegram accepts, within the limit, verdict first', () => {
    const runArb = fc.record({
      kind: fc.constantFrom('task', 'debug', 'terminal'),
      name: fc.string({ unit: 'grapheme', maxLength: 400 }),
      source: fc.option(fc.string({ unit: 'binary', maxLength: 50 }), { nil: undefined }),
      workspace: fc.option(fc.string({ maxLength: 50 }), { nil: undefined }),
      exitCode: fc.option(fc.integer({ min: -255, max: 255 }), { nil: undefined }),
      durationMs: fc.nat(),
      outputTail: fc.option(fc.string({ unit: 'binary', maxLength: 6000 }), { nil: undefined }),
      endedAt: fc.constant(0),
    });
    fc.assert(
      fc.property(runArb, fc.constantFrom(...FORMATS), (run, format) => {
        const { parsed } = telegramView(run as FinishedRun, format);
        assert.ok(parsed.text.length > 0 && parsed.text.length <= MAX_MESSAGE_LENGTH);
        assert.match(parsed.text, /^(✅|❌|⚪) (Task|Debug session|Command) /);
        assert.ok(isWellFormed(parsed.text), 'no lone surrogate');
      }),
      fcParams,
    );
  });

  test('the output shown is always the end of the real output', () => {
    const tailArb = fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 9000 });
    fc.assert(
      fc.property(tailArb, fc.constantFrom(...FORMATS), (outputTail, format) => {
        const { parsed } = telegramView({ ...failed, outputTail }, format);
        const shown = outputTail.replace(/\r\n?/g, '\n').trimEnd();
        const keep = shown.slice(-Math.min(shown.length, 100)).trim();
        if (keep) assert.ok(parsed.text.trimEnd().endsWith(keep.trimEnd()));
      }),
      fcParams,
    );
  });
});

describe('renderRun keeps tokens out of the chat', () => {
  // Regression: a terminal command that curls the Bot API sent the token to the chat (and
  // to the outbox file), though every log line masked it.
  const token = '123456789:AAEhBP0av28Aj5hMbBw9xYuI_Vz4-Lq0aZ1';
  const stored = 'oddly-shaped-stored-secret';
  const run: FinishedRun = {
    kind: 'terminal',
    name: `curl https://api.telegram.org/bot${token}/getMe`,
    workspace: `ws ${stored}`,
    exitCode: 1,
    durationMs: 12_000,
    outputTail: `TELEGRAM_TOKEN=${token}\nSECRET=${stored}\n`,
    endedAt: 0,
  };

  for (const format of ['html', 'markdown', 'text'] as const) {
    test(`in ${format}, token-shaped text and stored tokens are masked`, () => {
      const message = renderRun(run, { format, secrets: [stored] });
      assert.ok(!message.text.includes('AAEhBP0av28Aj5hMbBw9xYuI'), message.text);
      assert.ok(!message.text.includes(stored), message.text);
      assert.match(message.text, /123456789/);
    });
  }
});
