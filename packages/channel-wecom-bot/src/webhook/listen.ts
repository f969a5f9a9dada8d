import { createServer, type Server } from 'node:http';
import { listenOn } from '@wecom-bot/core';
import type Koa from 'koa';

export interface ListenOptions {
  port: number;
  host?: string;
  /** Named in the "port in use" hint, e.g. wecom_bot_port. */
  portKey?: string;
}

export interface WebhookServer {
  /** The port actually bound (useful with port 0 in tests). */
  readonly port: number;
  /** Stops accepting; requests in flight get 2 s, then their connections are cut. */
  close(): Promise<void>;
}

/**
 * Serves a webhook app on HTTP. Here rather than in the channel so that tests and the channel
 * start it the same way; TLS is left to a reverse proxy, as for the self-built app.
 */
export async function listenWebhook(app: Koa, options: ListenOptions): Promise<WebhookServer> {
  const server = createServer(app.callback());
  // A client that trickles its headers or body would otherwise hold a socket for minutes.
  server.headersTimeout = 20_000;
  server.requestTimeout = 30_000;
  const port = await listenOn(server, { ...options, what: 'the AI bot webhook server' });
  return { port, close: () => closeServer(server) };
}

async function closeServer(server: Server): Promise<void> {
  if (!server.listening) return;
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeIdleConnections();
  const timer = setTimeout(() => server.closeAllConnections(), 2000);
  await closed;
  clearTimeout(timer);
}
