import { createServer, type RequestListener, type Server, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Logger } from '@wecom-bot/core';

export interface CallbackServerOptions {
  /** Headers and body of a request must both arrive within this many ms. */
  requestTimeoutMs: number;
  logger: Logger;
}

/** Node's own default for idle keep-alive connections; shorter only when the request limit is. */
const KEEP_ALIVE_MS = 5000;

/**
 * An HTTP server for the callback with limits of its own, so slow clients (slowloris) cannot
 * hold connections: a request must be complete within `requestTimeoutMs` (then 408 and the
 * connection is closed), and an idle keep-alive connection closes after 5 s.
 */
export function createCallbackServer(listener: RequestListener, options: CallbackServerOptions): Server {
  const limit = options.requestTimeoutMs;
  const server = createServer(
    {
      requestTimeout: limit,
      headersTimeout: limit,
      // Node enforces the two limits only when it sweeps its connections (every 30 s by default).
      connectionsCheckingInterval: Math.min(1000, Math.max(25, Math.floor(limit / 4))),
    },
    listener,
  );
  server.keepAliveTimeout = Math.min(KEEP_ALIVE_MS, limit);

  // A listener replaces Node's default handling of client errors; it does the same, plus one log line.
  const inFlight = new WeakMap<Duplex, ServerResponse>();
  server.on('request', (req, res: ServerResponse) => inFlight.set(req.socket, res));
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex) => {
    const timedOut = error.code === 'ERR_HTTP_REQUEST_TIMEOUT';
    if (error.code !== 'ECONNRESET') {
      const ip = (socket as { remoteAddress?: string }).remoteAddress;
      const why = timedOut ? `request timed out: headers and body must arrive within ${limit} ms` : 'malformed HTTP request';
      options.logger.warn({ ip, code: error.code }, `${why}; connection closed`);
    }
    // Answer only when no response has started on this connection, as Node does.
    if (socket.writable && !inFlight.get(socket)?.headersSent) {
      socket.write(`HTTP/1.1 ${timedOut ? '408 Request Timeout' : '400 Bad Request'}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
    }
    socket.destroy();
  });
  return server;
}
