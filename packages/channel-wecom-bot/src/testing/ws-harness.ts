import type { AppConfig, Bot, Stores } from '@wecom-bot/core';
import { createTestApp, type TestApp } from '@wecom-bot/core/testing';
import { WecomBotChannel } from '../channel.js';
import { wecomBotIntegration } from '../integration.js';
import { FakeAibotServer, type ReceivedFrame } from './fake-aibot-server.js';

export const BOT_ID = 'aibTESTBOT001';
export const BOT_SECRET = 'aibot-secret-Zr8qK2mW9xT4';

export interface WsHarness {
  app: TestApp;
  server: FakeAibotServer;
  channel: WecomBotChannel;
}

const open: WsHarness[] = [];

/** The AI-bot channel over the long connection to a fake WeCom, assembled as the CLI does, with `bot` answering. */
export async function startWsBot(bot: Bot, raw: AppConfig = {}, serverOptions: { streamExpiryMs?: number } = {}, shared: { server?: FakeAibotServer; stores?: Stores } = {}): Promise<WsHarness> {
  const server = shared.server ?? (await FakeAibotServer.start({ botId: BOT_ID, secret: BOT_SECRET, ...serverOptions }));
  const app = createTestApp(
    // The ops server on a free port: tests run side by side.
    { channel_type: 'wecom_bot', wecom_bot_id: BOT_ID, wecom_bot_secret: BOT_SECRET, wecom_bot_ws_url: server.url, wecom_bot_stream_interval_ms: 50, wecom_bot_ops_port: 0, wecom_bot_host: '127.0.0.1', ...raw },
    { integrations: [wecomBotIntegration], stores: shared.stores },
  );
  app.useBot(bot);
  const channel = app.channel as WecomBotChannel;
  await channel.start(app.pipeline.handle);
  const harness = { app, server, channel };
  open.push(harness);
  return harness;
}

export async function stopAll(): Promise<void> {
  for (const h of open.splice(0)) {
    await h.app.pipeline.drain(2000);
    await h.channel.stop();
    await h.server.close().catch(() => undefined);
  }
}

/** The stream frames sent for one callback, in order: { content, finish }. */
export function streamFrames(server: FakeAibotServer, reqId: string): Array<{ content: string; finish: boolean }> {
  return server
    .framesOf('aibot_respond_msg')
    .filter((f) => f.reqId === reqId)
    .map((f) => {
      const { content, finish } = (f.body as { stream: { content: string; finish: boolean } }).stream;
      return { content, finish };
    });
}

export const isFinal = (reqId: string) => (f: ReceivedFrame) => f.cmd === 'aibot_respond_msg' && f.reqId === reqId && (f.body as { stream?: { finish?: boolean } }).stream?.finish === true;

let next = 0;
export function textMessage(content: string, fields: Record<string, unknown> = {}): Record<string, unknown> {
  next += 1;
  return { msgid: `msg${Date.now()}${next}`, aibotid: BOT_ID, chattype: 'single', from: { userid: 'zhangsan' }, msgtype: 'text', text: { content }, ...fields };
}
