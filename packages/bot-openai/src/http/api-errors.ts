import type { IncomingHttpHeaders } from 'node:http';

/** The API's error object (`{"error": {message, type, code, param}}`), when it sent one. */
export interface ApiErrorBody {
  message?: unknown;
  type?: string;
  code?: string | null;
  param?: string | null;
}

/**
 * A non-2xx answer of the direct chat call, with what the SDK's APIError carries (status,
 * code, type, headers) and the same message ("429 Rate limit reached …"), so a log reads the
 * same whichever path failed.
 */
export class ApiStatusError extends Error {
  readonly code: string | null | undefined;
  readonly type: string | undefined;
  readonly param: string | null | undefined;

  constructor(
    readonly status: number,
    readonly error: ApiErrorBody | undefined,
    text: string | undefined,
    private readonly headers: IncomingHttpHeaders,
  ) {
    super(statusMessage(status, error, text));
    this.name = 'ApiStatusError';
    this.code = error?.code;
    this.type = error?.type;
    this.param = error?.param;
  }

  header(name: string): string | undefined {
    const value = this.headers[name];
    return Array.isArray(value) ? value[0] : value;
  }
}

/** No answer, or an answer cut off: refused, reset, DNS … (the socket's error is the cause). */
export class ApiConnectionError extends Error {
  constructor(message: string, options: { cause: unknown }) {
    super(message, options);
    this.name = 'ApiConnectionError';
  }
}

/** As the SDK words it: the status, then the error's message, the error as JSON, or the body's text. */
function statusMessage(status: number, error: ApiErrorBody | undefined, text: string | undefined): string {
  const said = error?.message ? (typeof error.message === 'string' ? error.message : JSON.stringify(error.message)) : error ? JSON.stringify(error) : text;
  return said ? `${status} ${said}` : `${status} status code (no body)`;
}
