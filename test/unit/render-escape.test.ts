import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { keepHead, plainTerminalText, sanitizeText } from '../../src/core/escape';

describe('plainTerminalText', () => {
  test('removes colours, cursor moves and shell-integration marks', () => {
    const raw =
      '\u001b]633;C\u0007\u001b[31merror\u001b[0m: \u001b[1Kbad\r\n\u001b]0;title\u001b\\done';
    assert.equal(plainTerminalText(raw), 'error: bad\ndone');
  });

  test('keeps only the last state of a line redrawn with carriage returns', () => {
    assert.equal(plainTerminalText('10%\r50%\r100%\r\nnext'), '100%\nnext');
  });
});

describe('sanitizeText', () => {
  test('replaces lone surrogates, unifies line ends and drops control characters', () => {
    assert.equal(sanitizeText('a\uD83D b\r\nc\rd\u0000\u0007\te'), 'a\uFFFD b\nc\nd\te');
    assert.equal(sanitizeText('😀'), '😀');
  });
});

describe('keepHead', () => {
  test('keeps the start, marks the cut and never halves an emoji', () => {
    assert.equal(keepHead('abcdef', 4), 'abc…');
    assert.equal(keepHead('ab😀cd', 4), 'ab…');
    assert.equal(keepHead('abc', 3), 'abc');
  });
});
