/** Error codes of a certificate the client refused (Node's TLS and undici names). */
const TLS_CODES = /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS|UNABLE_TO_GET_ISSUER/;

/**
 * Why a fetch to `what` got no answer, in words that say what to look at: refused, no DNS
 * name, a certificate, or no answer before `signal` ran out. Never quotes the URL (a query
 * may hold a secret).
 */
export function describeFetchFailure(error: unknown, what: string, signal?: AbortSignal): string {
  if (signal?.aborted || (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError'))) {
    return `${what} did not answer in time: not reachable from here (a firewall, security group, wrong host or port)`;
  }
  const cause = (error as { cause?: { code?: unknown; message?: unknown } } | undefined)?.cause;
  const code = typeof cause?.code === 'string' ? cause.code : undefined;
  if (code === 'ECONNREFUSED') return `${what} refused the connection: nothing listens there (is the server running, and does the proxy forward to it?)`;
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return `${what}: its host name does not resolve (DNS)`;
  if (code === 'ECONNRESET') return `${what} cut the connection before answering (a proxy or firewall in the way, or http:// against an https:// port)`;
  if (code === 'EHOSTUNREACH' || code === 'ENETUNREACH') return `${what} is not reachable from here (no route to the host)`;
  if (code === 'UND_ERR_CONNECT_TIMEOUT') return `${what} did not accept the connection in time: not reachable from here (a firewall or wrong port)`;
  if (code && TLS_CODES.test(code)) return `${what} presented a certificate this machine does not trust (${code}); the platforms need a valid HTTPS certificate`;
  const reason = (typeof cause?.message === 'string' && cause.message) || code || (error instanceof Error ? error.message : String(error));
  return `${what} could not be reached: ${reason}`;
}
