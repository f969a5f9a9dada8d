// The real channel on loopback with a fake WeCom API and a scripted bot, for the channel tests.
import { request } from 'node:http';
import { textReply, type Bot, type Context, type Reply, type Stores } from '@wecom-bot/core';
import { createTestApp, type TestApp } from '@wecom-bot/core/testing';
import { expect } from 'vitest';
import type { WechatcomAppChannel } from '../channel.js';
import { wechatcomAppIntegration } from '../integration.js';
import { FakeWecomApi } from './fake-wecom-api.js';
import { WecomCallbackClient, memberMessage, nextMsgId } from './callback-client.js';
import { TEST_AES_KEY, testWecomConfig } from './test-config.js';

/** A bot whose answer each test chooses; it records every Context it is asked about. */
export class ScriptedBot implements Bot {
  readonly name = 'scripted';
  readonly contexts: Context[] = [];
  answer: (context: Context) => Promise<Reply> = async (c) => textReply(`echo: ${c.content}`);

  async reply(context: Context): Promise<Reply> {
    this.contexts.push(context);
    return this.answer(context);
  }
}

export interface Harness {
  app: TestApp;
  api: FakeWecomApi;
  bot: ScriptedBot;
  channel: WechatcomAppChannel;
  wecom: WecomCallbackClient;
  raw: Record<string, unknown>;
  url: string;
}

const open: Harness[] = [];

export async function start(overrides: Record<string, unknown> = {}, stores?: Stores): Promise<Harness> {
  const probe = testWecomConfig('');
  const api = await FakeWecomApi.start({ corpId: String(probe.wechatcom_corp_id), secret: String(probe.wechatcomapp_secret) });
  const raw = testWecomConfig(api.baseUrl, { bot_type: 'scripted', wechatcomapp_passive_reply_ms: 0, ...overrides });
  const app = createTestApp(raw, { integrations: [wechatcomAppIntegration], stores });
  const bot = new ScriptedBot();
  app.useBot(bot);
  const channel = app.channel as WechatcomAppChannel;
  await channel.start(app.pipeline.handle);
  const url = `http://127.0.0.1:${channel.port}${String(raw.wechatcomapp_path ?? '/wxcomapp')}`;
  const wecom = new WecomCallbackClient({ url, token: String(raw.wechatcomapp_token), aesKey: TEST_AES_KEY, corpId: String(raw.wechatcom_corp_id) });
  const harness = { app, api, bot, channel, wecom, raw, url };
  open.push(harness);
  return harness;
}

/** Stops every harness the test started; call from afterEach. No secret may have reached a log line. */
export async function closeAll(): Promise<void> {
  for (const h of open.splice(0)) {
    await h.app.pipeline.drain(2000);
    await h.channel.stop();
    await h.api.close();
    // Whatever happened in the test, no secret reached a log line.
    const logs = h.app.logLines.join('\n');
    for (const secret of [h.raw.wechatcomapp_secret, h.raw.wechatcomapp_token, h.raw.wechatcomapp_aes_key, ...h.api.issuedTokens]) {
      expect(logs).not.toContain(String(secret));
    }
  }
}

export const text = (h: Harness, content: string, from = 'zhangsan', msgId = nextMsgId()) =>
  memberMessage(String(h.raw.wechatcom_corp_id), from, 'text', { Content: content, MsgId: msgId });

/** POSTs a body in chunks without Content-Length; resolves to the status. */
export function postChunked(url: string, chunks: string[]): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', headers: { 'content-type': 'text/xml' } }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    for (const chunk of chunks) req.write(chunk);
    req.end();
  });
}

export { setTimeout as sleep } from 'node:timers/promises';

export const sentTexts = (api: FakeWecomApi) => api.sent.filter((b) => b.msgtype === 'text').map((b) => (b.text as { content: string }).content);
