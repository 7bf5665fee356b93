import type { TgErrorBody } from './types';

/**
 * A refusal in the Bot API's own words. Method handlers throw it; the server turns it into
 * the `{"ok":false,...}` body with the same HTTP status as `error_code`, which is what
 * api.telegram.org does.
 */
export class ApiError extends Error {
  constructor(
    readonly errorCode: number,
    readonly description: string,
    readonly parameters?: TgErrorBody['parameters'],
  ) {
    super(description);
    this.name = 'ApiError';
  }

  toBody(): TgErrorBody {
    return apiErrorBody(this.errorCode, this.description, this.parameters);
  }
}

/** Builds a failure body in the real shape; useful for fault injection too. */
export function apiErrorBody(
  errorCode: number,
  description: string,
  parameters?: TgErrorBody['parameters'],
): TgErrorBody {
  const body: TgErrorBody = { ok: false, error_code: errorCode, description };
  if (parameters !== undefined) body.parameters = parameters;
  return body;
}

export const badRequest = (what: string, parameters?: TgErrorBody['parameters']) =>
  new ApiError(400, `Bad Request: ${what}`, parameters);

export const forbidden = (what: string) => new ApiError(403, `Forbidden: ${what}`);

export const notFound = () => new ApiError(404, 'Not Found');

export const conflict = (what: string) => new ApiError(409, `Conflict: ${what}`);

export const tooManyRequests = (retryAfter: number) =>
  new ApiError(429, `Too Many Requests: retry after ${retryAfter}`, {
    retry_after: retryAfter,
  });
