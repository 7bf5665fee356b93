import type { TgMessageEntity } from './types';

/** Text after markup parsing, with entity offsets in UTF-16 code units (as the API counts). */
export interface FormattedText {
  text: string;
  entities: TgMessageEntity[];
}

/**
 * A markup error in Telegram's words, without the "Bad Request: can't parse entities: "
 * prefix that the method layer adds.
 */
export class ParseError extends Error {
  override name = 'ParseError';
}

/** Telegram reports error positions in UTF-8 bytes of the text as sent. */
export function byteOffset(source: string, index: number): number {
  return Buffer.byteLength(source.slice(0, index), 'utf8');
}

/** Same order Telegram returns entities in: by offset, the enclosing one first. */
export function sortEntities(entities: TgMessageEntity[]): TgMessageEntity[] {
  return entities.sort((a, b) => a.offset - b.offset || b.length - a.length);
}

/**
 * Telegram keeps a link only when its address looks like one; an address without a scheme
 * gets `http://`. The real check is stricter (it wants a known top-level domain).
 */
export function normalizeUrl(raw: string): string | undefined {
  const trimmed = raw.trim();
  if (trimmed === '') return undefined;
  const withScheme = /^[a-z][a-z0-9+.-]*:/i.test(trimmed) ? trimmed : `http://${trimmed}`;
  try {
    return new URL(withScheme).href;
  } catch {
    return undefined;
  }
}
