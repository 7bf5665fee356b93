import type { TgMessageEntity } from './types';
import {
  type FormattedText,
  ParseError,
  byteOffset,
  normalizeUrl,
  sortEntities,
} from './parse-common';

/** Characters MarkdownV2 reserves everywhere outside code (Bot API, "MarkdownV2 style"). */
const RESERVED_V2 = '_*[]()~`>#+-=|{}.!';

type V2Type =
  | 'Bold'
  | 'Italic'
  | 'Underline'
  | 'Strikethrough'
  | 'Spoiler'
  | 'Code'
  | 'Pre'
  | 'PreCode'
  | 'TextUrl'
  | 'CustomEmoji';

interface V2Open {
  type: V2Type;
  sourceAt: number;
  start: number;
  language?: string;
}

interface V2State {
  source: string;
  out: string;
  pos: number;
  open: V2Open[];
  entities: TgMessageEntity[];
  quoteStart?: number;
}

const V2_ENTITY: Record<V2Type, string> = {
  Bold: 'bold',
  Italic: 'italic',
  Underline: 'underline',
  Strikethrough: 'strikethrough',
  Spoiler: 'spoiler',
  Code: 'code',
  Pre: 'pre',
  PreCode: 'pre',
  TextUrl: 'text_link',
  CustomEmoji: 'custom_emoji',
};

/**
 * MarkdownV2 parse mode. Outside code every reserved character must be escaped with `\`;
 * inside code and pre only `` ` `` and `\` must be. Errors carry Telegram's wording and the
 * UTF-8 byte offset of the entity or character at fault.
 */
export function parseMarkdownV2(source: string): FormattedText {
  const state: V2State = { source, out: '', pos: 0, open: [], entities: [] };

  while (state.pos < source.length) {
    if (handleQuoteMarker(state)) continue;
    stepV2(state);
  }

  const top = state.open.at(-1);
  if (top !== undefined) {
    const at = byteOffset(source, top.sourceAt);
    throw new ParseError(`Can't find end of ${top.type} entity at byte offset ${at}`);
  }
  endQuote(state);
  return { text: state.out, entities: sortEntities(state.entities) };
}

const inCode = (state: V2State) => {
  const type = state.open.at(-1)?.type;
  return type === 'Code' || type === 'Pre' || type === 'PreCode';
};

/** `>` at the start of a line opens or continues a block quotation. */
function handleQuoteMarker(state: V2State): boolean {
  const { source, pos } = state;
  const lineStart = pos === 0 || source[pos - 1] === '\n';
  if (!lineStart || inCode(state)) return false;

  if (source[pos] === '>') {
    state.quoteStart ??= state.out.length;
    state.pos++;
    return true;
  }
  if (state.open.length === 0) endQuote(state);
  return false;
}

function endQuote(state: V2State): void {
  if (state.quoteStart === undefined) return;
  const length = state.out.replace(/\n$/, '').length - state.quoteStart;
  if (length > 0) state.entities.push({ type: 'blockquote', offset: state.quoteStart, length });
  state.quoteStart = undefined;
}

function stepV2(state: V2State): void {
  const { source } = state;
  const c = source[state.pos] ?? '';
  const next = source.charCodeAt(state.pos + 1);

  // `\` escapes any ASCII character; before anything else it is an ordinary character.
  if (c === '\\' && next > 0 && next <= 126) {
    state.out += source[state.pos + 1];
    state.pos += 2;
    return;
  }

  const reserved = inCode(state) ? '`' : RESERVED_V2;
  if (!reserved.includes(c)) {
    state.out += c;
    state.pos++;
    return;
  }

  const top = state.open.at(-1);
  if (top !== undefined && closesV2(top.type, source, state.pos)) closeV2(state, top);
  else openV2(state, c);
}

function closesV2(type: V2Type, source: string, pos: number): boolean {
  const c = source[pos];
  switch (type) {
    case 'Bold':
      return c === '*';
    case 'Italic':
      return c === '_' && source[pos + 1] !== '_';
    case 'Underline':
      return c === '_' && source[pos + 1] === '_';
    case 'Strikethrough':
      return c === '~';
    case 'Spoiler':
      return c === '|' && source[pos + 1] === '|';
    case 'Code':
      return c === '`';
    case 'Pre':
    case 'PreCode':
      return source.startsWith('```', pos);
    case 'TextUrl':
    case 'CustomEmoji':
      return c === ']';
  }
}

function openV2(state: V2State, c: string): void {
  const { source } = state;
  const sourceAt = state.pos;
  const reservedError = () =>
    new ParseError(`Character '${c}' is reserved and must be escaped with the preceding '\\'`);
  const doubled = source[state.pos + 1] === c;
  let type: V2Type;
  let language: string | undefined;

  if (c === '_') type = doubled ? 'Underline' : 'Italic';
  else if (c === '*') type = 'Bold';
  else if (c === '~') type = 'Strikethrough';
  else if (c === '[') type = 'TextUrl';
  else if (c === '|' && doubled) type = 'Spoiler';
  else if (c === '!' && source[state.pos + 1] === '[') type = 'CustomEmoji';
  else if (c === '`' && source.startsWith('```', state.pos)) {
    language = readPreLanguage(state);
    type = language === undefined ? 'Pre' : 'PreCode';
  } else if (c === '`') type = 'Code';
  else throw reservedError();

  if (type === 'Underline' || type === 'Spoiler' || type === 'CustomEmoji') state.pos += 2;
  else if (type !== 'Pre' && type !== 'PreCode') state.pos += 1;
  state.open.push({ type, sourceAt, start: state.out.length, language });
}

/** After ```: an optional language word, then one line break that is not part of the code. */
function readPreLanguage(state: V2State): string | undefined {
  const { source } = state;
  let pos = state.pos + 3;
  let end = pos;
  while (end < source.length && !/\s/.test(source[end] ?? '') && source[end] !== '`') end++;

  let language: string | undefined;
  if (end !== pos && end < source.length && source[end] !== '`') {
    language = source.slice(pos, end);
    pos = end;
  }
  if (source[pos] === '\n' || source[pos] === '\r') {
    const pair = source[pos + 1];
    pos += (pair === '\n' || pair === '\r') && pair !== source[pos] ? 2 : 1;
  }
  state.pos = pos;
  return language;
}

function closeV2(state: V2State, top: V2Open): void {
  const { source } = state;
  state.open.pop();
  const length = state.out.length - top.start;
  let url: string | undefined;

  if (top.type === 'Pre' || top.type === 'PreCode') state.pos += 3;
  else if (top.type === 'Underline' || top.type === 'Spoiler') state.pos += 2;
  else state.pos += 1;

  if (top.type === 'TextUrl' || top.type === 'CustomEmoji') {
    if (source[state.pos] === '(') url = readV2Url(state);
    else if (top.type === 'CustomEmoji') {
      throw new ParseError('Custom emoji entity must contain a tg://emoji URL');
    } else url = state.out.slice(top.start);
  }
  if (length === 0) return;

  const entity = buildV2Entity(top, length, url);
  if (entity !== undefined) state.entities.push(entity);
}

function readV2Url(state: V2State): string {
  const { source } = state;
  const begin = state.pos + 1;
  let pos = begin;
  let url = '';
  while (pos < source.length && source[pos] !== ')') {
    const next = source.charCodeAt(pos + 1);
    if (source[pos] === '\\' && next > 0 && next <= 126) {
      url += source[pos + 1];
      pos += 2;
    } else url += source[pos++];
  }
  if (pos >= source.length) {
    throw new ParseError(`Can't find end of a URL at byte offset ${byteOffset(source, begin)}`);
  }
  state.pos = pos + 1;
  return url;
}

function buildV2Entity(
  top: V2Open,
  length: number,
  url: string | undefined,
): TgMessageEntity | undefined {
  const base = { type: V2_ENTITY[top.type], offset: top.start, length };
  if (top.type === 'PreCode') return { ...base, language: top.language };
  if (top.type === 'CustomEmoji') {
    const id = /^tg:\/\/emoji\?id=(\d+)$/.exec(url ?? '')?.[1];
    if (id === undefined) throw new ParseError('Invalid custom emoji URL specified');
    return { ...base, custom_emoji_id: id };
  }
  if (top.type !== 'TextUrl') return base;
  const href = normalizeUrl(url ?? '');
  return href === undefined ? undefined : { ...base, url: href };
}

/**
 * The legacy Markdown parse mode: `*bold*`, `_italic_`, `` `code` ``, ```` ```pre``` ````
 * and `[text](url)`, no nesting; `\` escapes only the four markers outside an entity.
 */
export function parseMarkdownLegacy(source: string): FormattedText {
  let out = '';
  const entities: TgMessageEntity[] = [];
  let pos = 0;

  while (pos < source.length) {
    const c = source[pos] ?? '';
    if (c === '\\' && '_*`['.includes(source[pos + 1] ?? 'x')) {
      out += source[pos + 1];
      pos += 2;
      continue;
    }
    if (!'_*`['.includes(c)) {
      out += c;
      pos++;
      continue;
    }

    const entity = readLegacyEntity(source, pos, out.length);
    out += entity.text;
    pos = entity.end;
    if (entity.entity !== undefined) entities.push(entity.entity);
  }
  return { text: out, entities: sortEntities(entities) };
}

function readLegacyEntity(
  source: string,
  begin: number,
  offset: number,
): { text: string; end: number; entity?: TgMessageEntity } {
  const c = source[begin];
  const isPre = source.startsWith('```', begin);
  const endChar = c === '[' ? ']' : (c ?? '');
  let pos = begin + (isPre ? 3 : 1);
  let language: string | undefined;
  if (isPre) {
    const state: V2State = { source, out: '', pos: begin, open: [], entities: [] };
    language = readPreLanguage(state);
    pos = state.pos;
  }

  const textStart = pos;
  while (
    pos < source.length &&
    !(isPre ? source.startsWith('```', pos) : source[pos] === endChar)
  ) {
    pos++;
  }
  if (pos >= source.length) {
    const at = byteOffset(source, begin);
    throw new ParseError(`Can't find end of the entity starting at byte offset ${at}`);
  }
  const text = source.slice(textStart, pos);
  pos += isPre ? 3 : 1;

  let url: string | undefined;
  if (c === '[') {
    url = text;
    if (source[pos] === '(') {
      const close = source.indexOf(')', pos);
      url = source.slice(pos + 1, close === -1 ? source.length : close);
      pos = close === -1 ? source.length : close + 1;
    }
  }
  if (text.length === 0) return { text, end: pos };

  const base = { offset, length: text.length };
  const entity: TgMessageEntity | undefined =
    c === '*'
      ? { type: 'bold', ...base }
      : c === '_'
        ? { type: 'italic', ...base }
        : isPre
          ? { type: 'pre', ...base, ...(language === undefined ? {} : { language }) }
          : c === '`'
            ? { type: 'code', ...base }
            : linkEntity(base, url);
  return { text, end: pos, entity };
}

function linkEntity(
  base: { offset: number; length: number },
  url: string | undefined,
): TgMessageEntity | undefined {
  const href = normalizeUrl(url ?? '');
  return href === undefined ? undefined : { type: 'text_link', ...base, url: href };
}
