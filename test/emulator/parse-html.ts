import type { TgMessageEntity } from './types';
import {
  type FormattedText,
  ParseError,
  byteOffset,
  normalizeUrl,
  sortEntities,
} from './parse-common';

/**
 * HTML parse mode, following the rules of the Bot API's "HTML style" section and the
 * messages Telegram's server answers with. One deliberate difference: Telegram itself keeps
 * an `&` that starts no known entity as a literal character, while the docs require it to be
 * written `&amp;`. With `strictAmpersand` (the emulator's default) such an `&` is refused, so
 * a renderer that forgets to escape it fails here instead of silently mangling text such as
 * `&lt;` inside a commit message.
 */
export function parseHtml(source: string, strictAmpersand: boolean): FormattedText {
  const state: HtmlState = { source, out: '', open: [], entities: [], pos: 0 };

  while (state.pos < source.length) {
    const c = source[state.pos];
    if (c === '&') readAmpersand(state, strictAmpersand);
    else if (c !== '<') state.out += source[state.pos++];
    else if (source[state.pos + 1] === '/') readEndTag(state);
    else readStartTag(state);
  }

  const unclosed = state.open.at(-1);
  if (unclosed !== undefined) {
    throw new ParseError(`Can't find end tag corresponding to start tag "${unclosed.name}"`);
  }
  return { text: state.out, entities: sortEntities(state.entities) };
}

interface OpenTag {
  name: string;
  start: number;
  attributes: Map<string, string>;
}

interface HtmlState {
  source: string;
  out: string;
  open: OpenTag[];
  entities: TgMessageEntity[];
  pos: number;
}

const SUPPORTED_TAGS = new Set([
  'a',
  'b',
  'strong',
  'i',
  'em',
  'u',
  'ins',
  's',
  'strike',
  'del',
  'span',
  'tg-spoiler',
  'tg-emoji',
  'code',
  'pre',
  'blockquote',
]);

const NAMED_ENTITIES: Record<string, number> = { lt: 60, gt: 62, amp: 38, quot: 34 };

const isSpace = (c: string | undefined) => c === ' ' || c === '\n' || c === '\t' || c === '\r';

function readAmpersand(state: HtmlState, strict: boolean): void {
  const decoded = decodeEntity(state.source, state.pos);
  if (decoded !== undefined) {
    state.out += decoded.text;
    state.pos = decoded.end;
    return;
  }
  if (strict) {
    const at = byteOffset(state.source, state.pos);
    throw new ParseError(
      `Character '&' at byte offset ${at} starts no HTML entity; write it as &amp;`,
    );
  }
  state.out += '&';
  state.pos++;
}

/** Decodes `&lt;`-style and numeric entities; the semicolon is optional, as on Telegram. */
function decodeEntity(source: string, at: number): { text: string; end: number } | undefined {
  let end = at + 1;
  let code: number | undefined;

  if (source[end] === '#') {
    end++;
    const hex = source[end] === 'x' || source[end] === 'X';
    if (hex) end++;
    const digits = hex ? /[0-9a-f]/i : /[0-9]/;
    const start = end;
    while (end < source.length && end - start < 8 && digits.test(source[end] ?? '')) end++;
    if (end === start) return undefined;
    code = Number.parseInt(source.slice(start, end), hex ? 16 : 10);
  } else {
    const start = end;
    while (end < source.length && /[a-z0-9]/i.test(source[end] ?? '')) end++;
    code = NAMED_ENTITIES[source.slice(start, end)];
  }

  if (code === undefined || code === 0 || code > 0x10ffff) return undefined;
  if (code >= 0xd800 && code <= 0xdfff) {
    throw new ParseError(
      'Text contains invalid Unicode characters after decoding HTML entities, ' +
        'check for unmatched surrogate code units',
    );
  }
  if (source[end] === ';') end++;
  return { text: String.fromCodePoint(code), end };
}

function readStartTag(state: HtmlState): void {
  const { source } = state;
  const begin = state.pos;
  const at = byteOffset(source, begin);
  let pos = begin + 1;

  while (pos < source.length && !isSpace(source[pos]) && source[pos] !== '>') pos++;
  if (pos >= source.length) throw new ParseError(`Unclosed start tag at byte offset ${at}`);
  const name = source.slice(begin + 1, pos).toLowerCase();
  if (!SUPPORTED_TAGS.has(name)) {
    throw new ParseError(`Unsupported start tag "${name}" at byte offset ${at}`);
  }

  const attributes = new Map<string, string>();
  pos = readAttributes(state, pos, name, at, attributes);
  if (name === 'span' && attributes.get('class') !== 'tg-spoiler') {
    throw new ParseError(`Tag "span" must have class "tg-spoiler" at byte offset ${at}`);
  }
  state.open.push({ name, start: state.out.length, attributes });
  state.pos = pos + 1;
}

/** Reads `name=value` pairs up to the closing `>`; returns the position of that `>`. */
function readAttributes(
  state: HtmlState,
  from: number,
  tag: string,
  at: number,
  into: Map<string, string>,
): number {
  const { source } = state;
  let pos = from;
  const unclosed = () => new ParseError(`Unclosed start tag "${tag}" at byte offset ${at}`);

  for (;;) {
    while (isSpace(source[pos])) pos++;
    if (pos >= source.length) throw unclosed();
    if (source[pos] === '>') return pos;

    const nameStart = pos;
    while (pos < source.length && !isSpace(source[pos]) && !'=>'.includes(source[pos] ?? '')) {
      pos++;
    }
    const name = source.slice(nameStart, pos).toLowerCase();
    if (name === '') {
      throw new ParseError(`Empty attribute name in the tag "${tag}" at byte offset ${at}`);
    }
    while (isSpace(source[pos])) pos++;

    // A bare word is allowed only where Telegram defines one (`<blockquote expandable>`).
    if (source[pos] !== '=') {
      if (pos >= source.length) throw unclosed();
      if (tag === 'blockquote' && name === 'expandable') {
        into.set(name, '');
        continue;
      }
      throw new ParseError(
        `Expected equal sign in declaration of an attribute of the tag "${tag}" ` +
          `at byte offset ${at}`,
      );
    }
    pos++;
    while (isSpace(source[pos])) pos++;
    if (pos >= source.length) throw unclosed();

    const value = readAttributeValue(source, pos, at);
    into.set(name, value.text);
    pos = value.end;
  }
}

function readAttributeValue(
  source: string,
  from: number,
  at: number,
): { text: string; end: number } {
  const quote = source[from];
  if (quote !== '"' && quote !== "'") {
    let pos = from;
    while (pos < source.length && /[a-z0-9.-]/i.test(source[pos] ?? '')) pos++;
    if (!isSpace(source[pos]) && source[pos] !== '>') {
      throw new ParseError(
        `Unexpected end of name token at byte offset ${byteOffset(source, from)}`,
      );
    }
    return { text: source.slice(from, pos), end: pos };
  }

  let pos = from + 1;
  let text = '';
  while (pos < source.length && source[pos] !== quote) {
    const decoded = source[pos] === '&' ? decodeEntity(source, pos) : undefined;
    if (decoded !== undefined) {
      text += decoded.text;
      pos = decoded.end;
    } else {
      text += source[pos++];
    }
  }
  if (pos >= source.length) throw new ParseError(`Unclosed start tag at byte offset ${at}`);
  return { text, end: pos + 1 };
}

function readEndTag(state: HtmlState): void {
  const { source } = state;
  const begin = state.pos;
  const at = byteOffset(source, begin);
  const top = state.open.at(-1);
  if (top === undefined) throw new ParseError(`Unexpected end tag at byte offset ${at}`);

  let pos = begin + 2;
  while (pos < source.length && !isSpace(source[pos]) && source[pos] !== '>') pos++;
  const name = source.slice(begin + 2, pos).toLowerCase();
  while (isSpace(source[pos])) pos++;
  if (source[pos] !== '>') throw new ParseError(`Unclosed end tag at byte offset ${at}`);
  if (name !== '' && name !== top.name) {
    throw new ParseError(
      `Unmatched end tag at byte offset ${at}, expected "</${top.name}>", found "</${name}>"`,
    );
  }

  state.open.pop();
  state.pos = pos + 1;
  const entity = entityFor(top, state.out.length - top.start, state.open.at(-1));
  if (entity !== undefined) state.entities.push(entity);
}

const SIMPLE_TYPES: Record<string, string> = {
  b: 'bold',
  strong: 'bold',
  i: 'italic',
  em: 'italic',
  u: 'underline',
  ins: 'underline',
  s: 'strikethrough',
  strike: 'strikethrough',
  del: 'strikethrough',
  span: 'spoiler',
  'tg-spoiler': 'spoiler',
};

function entityFor(
  tag: OpenTag,
  length: number,
  parent: OpenTag | undefined,
): TgMessageEntity | undefined {
  if (length === 0) return undefined;
  const base = { offset: tag.start, length };
  const simple = SIMPLE_TYPES[tag.name];
  if (simple !== undefined) return { type: simple, ...base };

  switch (tag.name) {
    case 'a': {
      const url = normalizeUrl(tag.attributes.get('href') ?? '');
      return url === undefined ? undefined : { type: 'text_link', ...base, url };
    }
    case 'code': {
      // `<pre><code class="language-x">` names the language of the enclosing block.
      const language = /^language-(.+)$/.exec(tag.attributes.get('class') ?? '')?.[1];
      if (parent?.name === 'pre' && language !== undefined) {
        parent.attributes.set('language', language);
        return undefined;
      }
      return { type: 'code', ...base };
    }
    case 'pre': {
      const language = tag.attributes.get('language');
      return language === undefined ? { type: 'pre', ...base } : { type: 'pre', ...base, language };
    }
    case 'blockquote':
      return tag.attributes.has('expandable')
        ? { type: 'expandable_blockquote', ...base }
        : { type: 'blockquote', ...base };
    case 'tg-emoji':
      return { type: 'custom_emoji', ...base, custom_emoji_id: tag.attributes.get('emoji-id') };
    default:
      return undefined;
  }
}
