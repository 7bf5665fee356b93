/**
 * What can go wrong between the extension and api.telegram.org, on demand. A fault replaces
 * or disturbs the answer to the next matching calls; several faults queue up and each call
 * takes the first one that matches it.
 */
export interface FaultSpec {
  /** Only calls to this Bot API method match (case-insensitive, like the API). */
  method?: string;
  /** How many matching calls it applies to; default 1, `Infinity` until cleared. */
  times?: number;
  /** Wait this long (real time) before answering; alone, the call then proceeds normally. */
  delayMs?: number;
  /** Answer with this HTTP status and `body` instead of the real answer. */
  status?: number;
  /** A string goes out byte for byte (HTML, garbage); an object is sent as JSON. */
  body?: string | object;
  /** Defaults: JSON for objects, text/html for strings starting with `<`, else text/plain. */
  contentType?: string;
  /** Destroy the connection without any response. */
  drop?: boolean;
  /** Send the real answer cut in half: a complete HTTP response whose JSON is broken. */
  truncate?: boolean;
  /**
   * Run the method for real first, so its effects happen (a message is delivered, updates are
   * confirmed), then apply the fault to the answer: the "sent, but the reply was lost" case.
   * Always true for `truncate`.
   */
  afterHandling?: boolean;
}

/** Returned by fault injection, to withdraw a fault before it is used up. */
export interface FaultHandle {
  /** Calls still to be affected. */
  readonly remaining: number;
  cancel(): void;
}

interface Rule {
  spec: FaultSpec;
  remaining: number;
}

export class FaultPlan {
  private rules: Rule[] = [];

  add(spec: FaultSpec): FaultHandle {
    const rule: Rule = { spec, remaining: spec.times ?? 1 };
    this.rules.push(rule);
    return {
      get remaining() {
        return rule.remaining;
      },
      cancel: () => {
        rule.remaining = 0;
        this.rules = this.rules.filter((r) => r !== rule);
      },
    };
  }

  /** Takes one use of the first fault matching `method` (undefined: a path with no method). */
  take(method: string | undefined): FaultSpec | undefined {
    const wanted = method?.toLowerCase();
    const rule = this.rules.find(
      (r) => r.spec.method === undefined || r.spec.method.toLowerCase() === wanted,
    );
    if (rule === undefined) return undefined;

    rule.remaining -= 1;
    if (rule.remaining <= 0) this.rules = this.rules.filter((r) => r !== rule);
    return rule.spec;
  }

  clear(): void {
    this.rules = [];
  }
}

/** The HTTP answer a fault's `status`/`body` stand for. */
export function faultResponse(spec: FaultSpec): { body: string; contentType: string } {
  const raw = spec.body ?? '';
  const body = typeof raw === 'string' ? raw : JSON.stringify(raw);
  const guessed =
    typeof raw !== 'string'
      ? 'application/json'
      : raw.trimStart().startsWith('<')
        ? 'text/html'
        : 'text/plain';
  return { body, contentType: spec.contentType ?? guessed };
}
