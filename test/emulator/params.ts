/**
 * Request parameters the way the Bot API accepts them: query string, urlencoded form or a
 * JSON body, merged (the body wins). Form and query values arrive as strings, so the
 * coercion helpers below accept both spellings, and object-valued parameters
 * (`reply_markup`, `allowed_updates`, ...) may come JSON-serialized.
 */
export type Params = Record<string, unknown>;

export function parseParams(query: URLSearchParams, body: Buffer, contentType: string): Params {
  const params: Params = Object.fromEntries(query);
  if (body.length === 0) return params;

  const type = contentType.split(';')[0]?.trim().toLowerCase() ?? '';
  if (type === 'application/json') {
    try {
      const parsed: unknown = JSON.parse(body.toString('utf8'));
      if (typeof parsed === 'object' && parsed !== null) Object.assign(params, parsed);
    } catch {
      // Telegram ignores a body it cannot read; the call then fails on missing parameters.
    }
  } else if (type === 'application/x-www-form-urlencoded') {
    Object.assign(params, Object.fromEntries(new URLSearchParams(body.toString('utf8'))));
  }
  return params;
}

/** An integer from a number or a numeric string; undefined otherwise. */
export function intParam(value: unknown): number | undefined {
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  return typeof n === 'number' && Number.isInteger(n) ? n : undefined;
}

export function boolParam(value: unknown): boolean {
  return value === true || value === 'true' || value === '1' || value === 1;
}

/** An object parameter, decoding it when it arrived as a JSON string. */
export function jsonParam(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value);
  } catch {
    return undefined;
  }
}

/** A list of strings (`allowed_updates`), or undefined when absent or malformed. */
export function listParam(value: unknown): string[] | undefined {
  const decoded = jsonParam(value);
  return Array.isArray(decoded) ? decoded.map(String) : undefined;
}
