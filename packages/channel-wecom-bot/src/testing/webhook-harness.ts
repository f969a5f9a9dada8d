import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { textReply, type AppConfig, type Bot, type Context, type Stores } from '@wecom-bot/core';
import { countWaiter, createTestApp, type TestApp } from '@wecom-bot/core/testing';
import { WecomBotChannel } from '../channel.js';
import { wecomBotIntegration } from '../integration.js';
import { WecomWebhookClient, type WebhookAnswer } from './webhook-client.js';

export const WEBHOOK_TOKEN = 'whTokenK3v9Qp2Lm7';
/** 43 characters: base64 of 32 bytes without its "=". */
export const WEBHOOK_AES_KEY = 'd2ViaG9vay1oYXJuZXNzLWFlcy1rZXktMzJieXRlcyE';
export const WEBHOOK_PATH = '/wecombot';

/** One POST to a response_url as the fake host received it: the body parsed as JSON. */
export interface ResponseUrlPost {
  path: string;
  responseCode: string | null;
  contentType: string | undefined;
  body: unknown;
}

/**
 * WeCom's HTTP side besides the callbacks (PROTOCOLS-AIBOT-KF.md §1.2, §1.5): response_url,
 * which records each POST and answers errcode 0, and media downloads, serving the bytes given
 * to `serveFile` (encrypt them with encryptMediaFile, as WeCom serves them).
 */
export class FakeWecomHost {
  readonly posts: ResponseUrlPost[] = [];
  /** Media paths requested, in order. */
  readonly downloads: string[] = [];
  private readonly arrivals = countWaiter(this.posts, 'response_url POSTs');
  private readonly files = new Map<string, Buffer>();
  private codes = 0;

  private constructor(
    private readonly server: Server,
    readonly base: string,
  ) {
    server.on('request', (req: IncomingMessage, res: ServerResponse) => void this.handle(req, res));
  }

  static async start(): Promise<FakeWecomHost> {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return new FakeWecomHost(server, `http://127.0.0.1:${(server.address() as AddressInfo).port}`);
  }

  /** A fresh one-time response_url, like the one each callback carries. */
  responseUrl(): string {
    this.codes += 1;
    return `${this.base}/cgi-bin/aibot/response?response_code=RC${this.codes}${randomBytes(6).toString('hex')}`;
  }

  /** Serves `bytes` at a signed-looking URL (valid for the whole test). */
  serveFile(name: string, bytes: Buffer): string {
    this.files.set(`/media/${name}`, bytes);
    return `${this.base}/media/${name}?sign=${randomBytes(6).toString('hex')}`;
  }

  waitForPosts(count: number, timeoutMs = 5000): Promise<void> {
    return this.arrivals.waitFor(count, timeoutMs);
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.base);
    if (req.method === 'POST' && url.pathname === '/cgi-bin/aibot/response') {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const text = Buffer.concat(chunks).toString('utf8');
      let body: unknown = text;
      try {
        body = JSON.parse(text);
      } catch {
        // kept as text: the assertion on the body will show it
      }
      this.posts.push({ path: url.pathname, responseCode: url.searchParams.get('response_code'), contentType: req.headers['content-type'], body });
      this.arrivals.notify();
      res.setHeader('content-type', 'application/json').end('{"errcode":0,"errmsg":"ok"}');
      return;
    }
    const file = req.method === 'GET' ? this.files.get(url.pathname) : undefined;
    if (file) {
      this.downloads.push(url.pathname);
      res.setHeader('content-type', 'application/octet-stream').end(file);
      return;
    }
    res.writeHead(404).end();
  }
}

export interface WebhookHarness {
  app: TestApp;
  channel: WecomBotChannel;
  /** Plays WeCom: signs and encrypts callbacks, decrypts the answers. */
  client: WecomWebhookClient;
  host: FakeWecomHost;
  /** A text callback (single chat unless `fields` says otherwise) whose response_url is the fake host's. */
  text(content: string, fields?: Record<string, unknown>): Record<string, unknown>;
  /** A callback of another msgtype, `payload` its part (e.g. `{ image: { url } }`), otherwise as `text` makes it. */
  callback(msgtype: string, payload: Record<string, unknown>, fields?: Record<string, unknown>): Record<string, unknown>;
}

const open: WebhookHarness[] = [];

/** The AI-bot channel in webhook mode, assembled as the CLI does, on a loopback port, with `bot` answering. `shared.stores`: as after a restart. */
export async function startWebhookBot(bot: Bot, raw: AppConfig = {}, shared: { host?: FakeWecomHost; stores?: Stores } = {}): Promise<WebhookHarness> {
  const host = shared.host ?? (await FakeWecomHost.start());
  const app = createTestApp(
    {
      channel_type: 'wecom_bot',
      wecom_bot_mode: 'webhook',
      wecom_bot_token: WEBHOOK_TOKEN,
      wecom_bot_aes_key: WEBHOOK_AES_KEY,
      wecom_bot_port: 0,
      wecom_bot_host: '127.0.0.1',
      ...raw,
    },
    { integrations: [wecomBotIntegration], stores: shared.stores },
  );
  app.useBot(bot);
  const channel = app.channel as WecomBotChannel;
  await channel.start(app.pipeline.handle);
  const port = channel.port;
  if (port === undefined) throw new Error('the webhook channel started without a port');
  const client = new WecomWebhookClient({ url: `http://127.0.0.1:${port}${WEBHOOK_PATH}`, token: WEBHOOK_TOKEN, aesKey: WEBHOOK_AES_KEY });
  const text = (content: string, fields: Record<string, unknown> = {}) => client.text(content, { response_url: host.responseUrl(), ...fields });
  const callback = (msgtype: string, payload: Record<string, unknown>, fields: Record<string, unknown> = {}) => {
    const { text: _text, ...base } = text('', fields);
    return { ...base, msgtype, ...payload };
  };
  const harness = { app, channel, client, host, text, callback };
  open.push(harness);
  return harness;
}

export async function stopWebhookBots(): Promise<void> {
  for (const h of open.splice(0)) {
    await h.app.pipeline.drain(2000);
    await h.channel.stop();
    await h.host.close();
  }
}

/** A stream frame's visible part. */
export interface Shown {
  id: string;
  content: string;
  finish: boolean;
}

/** The stream frame an HTTP answer carries (the first answer to a message, or a poll's); throws on anything else. */
export function streamOf(answer: WebhookAnswer): Shown {
  const stream = answer.reply?.['stream'];
  if (answer.status !== 200 || answer.reply?.['msgtype'] !== 'stream' || typeof stream !== 'object' || stream === null) {
    throw new Error(`expected a stream frame, got HTTP ${answer.status}: ${answer.replyText ?? answer.body}`);
  }
  const { id, content, finish } = stream as Record<string, unknown>;
  if (typeof id !== 'string' || typeof content !== 'string' || typeof finish !== 'boolean') throw new Error(`malformed stream frame: ${answer.replyText}`);
  return { id, content, finish };
}

/** Polls `streamId` as WeCom does (here every `gapMs`) until a frame says finish: every frame seen, in order. */
export async function pollUntilFinished(client: WecomWebhookClient, streamId: string, gapMs = 20, maxPolls = 300): Promise<Shown[]> {
  const seen: Shown[] = [];
  for (let i = 0; i < maxPolls; i += 1) {
    const frame = streamOf(await client.refresh(streamId));
    seen.push(frame);
    if (frame.finish) return seen;
    await sleep(gapMs);
  }
  throw new Error(`stream ${streamId} not finished after ${maxPolls} polls; last: ${JSON.stringify(seen.at(-1))}`);
}

/** Consecutive duplicates removed: what the bubble showed, change by change. */
export function changes(frames: Shown[]): Shown[] {
  return frames.filter((f, i) => i === 0 || f.content !== frames[i - 1]!.content || f.finish !== frames[i - 1]!.finish);
}

/** A bot that answers "答：<question>" once `release()` was called (at once when `gated` is false), remembering what it was asked. */
export function answeringBot(gated = false): Bot & { asked: string[]; release(): void } {
  const asked: string[] = [];
  let release: () => void = () => undefined;
  const gate = gated ? new Promise<void>((resolve) => (release = resolve)) : Promise.resolve();
  return {
    name: 'answering',
    asked,
    release: () => release(),
    async reply(context: Context) {
      asked.push(context.content);
      await gate;
      return textReply(`答：${context.content}`);
    },
  };
}

/** Writes its answer in pieces, `gapMs` apart, as a model streams; the whole answer is the reply. */
export function streamingBot(pieces: string[], gapMs: number): Bot & { asked: string[] } {
  const asked: string[] = [];
  const answer = async (context: Context, onText?: (soFar: string) => void) => {
    asked.push(context.content);
    let soFar = '';
    for (const piece of pieces) {
      soFar += piece;
      onText?.(soFar);
      await sleep(gapMs);
    }
    return textReply(soFar);
  };
  return { name: 'streaming', asked, reply: (context) => answer(context), streamReply: (context, onText) => answer(context, onText) };
}
