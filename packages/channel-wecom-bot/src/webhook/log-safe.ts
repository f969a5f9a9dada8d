/**
 * A URL fit for logs and error messages: scheme, host and path, the query replaced by "***".
 * response_url's `response_code` (and a media URL's signature) act as bearer secrets.
 */
export function maskUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return '<invalid URL>';
  }
  const query = parsed.search === '' ? '' : '?***';
  return `${parsed.protocol}//${parsed.host}${parsed.pathname}${query}`;
}

/** What to say about a failed fetch: the error code or name only, as undici's messages and causes may repeat the URL. */
export function fetchErrorName(error: unknown): string {
  const cause = (error as { cause?: { code?: unknown } } | undefined)?.cause;
  if (typeof cause?.code === 'string') return cause.code;
  return error instanceof Error ? error.name : 'unknown';
}
