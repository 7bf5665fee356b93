import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { memoryLogger } from '../../src/core/log';
import { type QueuedMessage, parseOutbox } from '../../src/core/outbox';

const good = (id: string, extra: Partial<QueuedMessage> = {}): QueuedMessage => ({
  id,
  chat: { id: -1001234567890, type: 'supergroup' },
  message: { text: `run ${id} failed`, parseMode: 'HTML' },
  queuedAt: 1,
  ...extra,
});

describe('reading a stored outbox', () => {
  test('keeps well-formed messages as they were written', () => {
    const stored = [
      good('a'),
      good('b', { message: { text: 'plain' } }),
      good('c', { chat: { id: '@builds' }, migratedFrom: -4567 }),
      good('d', { message: { text: '*x*', parseMode: 'MarkdownV2' } }),
    ];
    assert.deepEqual(parseOutbox(JSON.parse(JSON.stringify(stored))), stored);
  });

  test('drops entries whose chat, parse mode or text could never be sent, and logs how many', () => {
    // Regression (QA outbox-corrupt): "not-a-chat" and parse mode "Bogus" were queued.
    const log = memoryLogger();
    const stored: unknown[] = [
      good('a'),
      { ...good('b'), chat: { id: 'not-a-chat' } },
      { ...good('c'), chat: { id: 0 } },
      { ...good('d'), message: { text: 'x', parseMode: 'Bogus' } },
      { ...good('e'), message: { text: '' } },
      { ...good('f'), message: { text: 42 } },
      { ...good('g'), queuedAt: 'yesterday' },
      { ...good('h'), id: 7 },
      null,
      'a message',
    ];
    assert.deepEqual(
      parseOutbox(stored, log).map((m) => m.id),
      ['a'],
    );
    assert.deepEqual(log.lines, ['warn: Dropped 9 malformed message(s) from a stored outbox.']);
  });

  test('a chat id stored as digits is read back as the number it stands for', () => {
    const [read] = parseOutbox([{ ...good('a'), chat: { id: '-1001234567890' } }]);
    assert.equal(read.chat.id, -1001234567890);
  });

  test('a list that is not a list reads as no messages, with nothing logged', () => {
    const log = memoryLogger();
    assert.deepEqual(parseOutbox({ id: 'a' }, log), []);
    assert.deepEqual(log.lines, []);
  });
});
