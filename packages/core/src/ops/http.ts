import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { listenOn } from '../listen.js';
import type { BotMetrics } from './metrics.js';
import type { Readiness } from './readiness.js';

/** The paths every channel's server answers besides its own. */
export const OPS_PATHS = ['/healthz', '/readyz', '/metrics'] as const;

/**
 * GET (or HEAD) /healthz, /readyz, /metrics on a plain node:http request. True when it took
 * the request (it answers asynchronously); false leaves the request to the caller's server.
 */
export function serveOps(parts: { metrics: BotMetrics; readiness: Readiness }, req: IncomingMessage, res: ServerResponse): boolean {
  if (req.method !== 'GET' && req.method !== 'HEAD') return false;
  const path = (req.url ?? '').split('?', 1)[0];
  const answer =
    path === '/healthz' ? async () => json(res, 200, { status: 'ok' })
    : path === '/readyz' ? async () => {
        const report = await parts.readiness.report();
        json(res, report.ready ? 200 : 503, { status: report.ready ? 'ready' : 'not ready', ...report });
      }
    : path === '/metrics' ? async () => send(res, 200, parts.metrics.contentType, await parts.metrics.render())
    : undefined;
  if (!answer) return false;
  answer().catch(() => {
    if (!res.headersSent) send(res, 500, 'text/plain; charset=utf-8', 'internal error');
    else res.destroy();
  });
  return true;
}

function json(res: ServerResponse, status: number, body: unknown): void {
  send(res, status, 'application/json; charset=utf-8', JSON.stringify(body));
}

function send(res: ServerResponse, status: number, contentType: string, body: string): void {
  res.writeHead(status, { 'content-type': contentType, 'cache-control': 'no-store' });
  res.end(res.req.method === 'HEAD' ? undefined : body);
}

export interface OpsServer {
  readonly port: number;
  close(): Promise<void>;
}

/**
 * A small HTTP server with nothing but the ops paths, for a channel that runs no server of its
 * own (the AI bot's long connection): something for a container healthcheck or a probe to ask.
 */
export async function listenOps(serve: (req: IncomingMessage, res: ServerResponse) => boolean, options: { port: number; host?: string; portKey?: string }): Promise<OpsServer> {
  const server = createServer((req, res) => {
    if (serve(req, res)) return;
    res.writeHead(404, { 'content-type': 'application/json; charset=utf-8' });
    res.end(JSON.stringify({ error: 'unknown path', paths: OPS_PATHS }));
  });
  server.headersTimeout = 10_000;
  server.requestTimeout = 15_000;
  const port = await listenOn(server, { ...options, what: 'the ops server' });
  return { port, close: () => closeServer(server) };
}

async function closeServer(server: Server): Promise<void> {
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeAllConnections();
  await closed;
}
