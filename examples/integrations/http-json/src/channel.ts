import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ContextType, createContext, ReplyWindow, type Channel, type Context, type Logger, type MessageHandler, type Reply } from '@wecom-bot/core';
import { CHANNEL_NAME, type HttpJsonConfig } from './config.js';
import { authorized, HttpError, parseChatRequest, readBody, sendJson, wantsEventStream, writeEvent, type ChatRequest } from './http.js';
import { joinedText, toJsonReply, type JsonReply } from './render.js';

/**
 * channel_type "http_json": POST `{ "user", "text" }` with `Authorization: Bearer <secret>`,
 * get `{ "text", "replies" }` back, or, with `Accept: text/event-stream`, the answer as it is
 * written (`text` events), then each reply (`reply`) and `done`. Every reply goes back inside
 * the request (its reply window), so there is nothing to send later: no push, no active API.
 */
export class HttpJsonChannel implements Channel {
  readonly name = CHANNEL_NAME;
  private server: Server | undefined;
  private handler: MessageHandler | undefined;

  constructor(
    private readonly config: HttpJsonConfig,
    private readonly logger: Logger,
  ) {}

  /** The URL it serves once started (http_json_port 0 picks a free port). */
  get url(): string | undefined {
    const address = this.server?.address() as AddressInfo | null | undefined;
    return address ? `http://${this.config.http_json_host}:${address.port}${this.config.http_json_path}` : undefined;
  }

  async start(handler: MessageHandler): Promise<void> {
    this.handler = handler;
    const { http_json_host: host, http_json_port: port, http_json_path: path } = this.config;
    // Headers and body must arrive within 10 s: a slow client cannot hold a connection open.
    const server = createServer({ requestTimeout: 10_000, headersTimeout: 10_000 }, (req, res) => void this.serve(req, res));
    await new Promise<void>((resolve, reject) => {
      server.once('error', (error: NodeJS.ErrnoException) =>
        reject(error.code === 'EADDRINUSE' ? new Error(`port ${port} on ${host} is in use: stop what holds it, or set http_json_port`) : error),
      );
      server.listen(port, host, resolve);
    });
    this.server = server;
    this.logger.info({ host, port: (server.address() as AddressInfo).port, path }, 'http-json channel listening');
  }

  /** Takes no more requests; those in flight are answered (the pipeline drains them). */
  async stop(): Promise<void> {
    this.server?.close();
    this.server?.closeIdleConnections();
    this.server = undefined;
  }

  /** Only reached once the request has been answered (or the client left): nowhere to deliver it. */
  async send(reply: Reply, context: Context): Promise<void> {
    this.logger.warn({ session: context.sessionId, reply: reply.type }, 'a reply came after its request was answered; dropped (this channel has no way to send later)');
  }

  private async serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const ip = req.socket.remoteAddress; // read now: the socket is gone once the response ends
    try {
      const path = new URL(req.url ?? '/', 'http://localhost').pathname;
      if (path !== this.config.http_json_path) throw new HttpError(404, `nothing here: POST to ${this.config.http_json_path}`);
      if (req.method !== 'POST') throw new HttpError(405, 'use POST');
      if (!authorized(req, this.config.http_json_secret)) throw new HttpError(401, 'wrong or missing secret: send "Authorization: Bearer <http_json_secret>"');
      const request = parseChatRequest(await readBody(req));
      const context = this.contextFor(request);
      this.logger.info({ from: context.senderId, id: context.messageId }, 'message received');
      if (wantsEventStream(req)) await this.stream(context, res);
      else await this.answer(context, res);
    } catch (error) {
      if (error instanceof HttpError) {
        this.logger.warn({ status: error.status, ip }, `bad request: ${error.message}`);
        if (!res.headersSent) sendJson(res, error.status, { error: error.message });
        return;
      }
      this.logger.error({ err: error }, 'request failed');
      if (!res.headersSent) sendJson(res, 500, { error: 'internal error' });
      else res.end();
    }
  }

  /** The whole answer as one JSON body. */
  private async answer(context: Context, res: ServerResponse): Promise<void> {
    const replies = await this.handle(context, res, new ReplyWindow({ fit: toJsonReply }));
    sendJson(res, 200, { text: joinedText(replies), replies });
  }

  /** Server-sent events: the text so far while the bot writes (when it can stream), then the replies. */
  private async stream(context: Context, res: ServerResponse): Promise<void> {
    res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', 'x-accel-buffering': 'no' });
    res.flushHeaders();
    // `onText` makes the pipeline ask a bot that can stream (OpenAI) for the answer as it grows.
    const window = new ReplyWindow({ fit: toJsonReply, onText: (soFar) => writeEvent(res, 'text', { text: soFar }) });
    const replies = await this.handle(context, res, window);
    for (const reply of replies) writeEvent(res, 'reply', reply);
    writeEvent(res, 'done', {});
    res.end();
  }

  /**
   * Runs the message through the pipeline, whose per-session queue keeps one user's messages
   * in order while users run in parallel. The window takes every reply until the handling
   * settles: the pipeline bounds that by reply_timeout_seconds per message.
   */
  private async handle(context: Context, res: ServerResponse, window: ReplyWindow<JsonReply>): Promise<JsonReply[]> {
    // A client that hangs up gets nothing more: later replies go to `send`, which drops them.
    res.on('close', () => window.close());
    if (this.handler) await this.handler(context, window);
    return window.close();
  }

  private contextFor(request: ChatRequest): Context {
    return createContext({
      type: ContextType.TEXT,
      content: request.text.trim(),
      channel: this.name,
      senderId: request.user,
      senderName: request.name,
      receiver: request.user,
      messageId: randomUUID(),
      raw: request,
    });
  }
}
