import type { OpsServer } from '@wecom-bot/core';
import { createTestApp, parsePrometheusText, promValue } from '@wecom-bot/core/testing';
import { afterEach, describe, expect, it } from 'vitest';
import type { WechatChatbotChannel } from './channel.js';
import { wechatChatbotIntegration } from './integration.js';
import { PrefixBot, REAL_KEFU, skillBody, startSendmsgServer } from './testing/index.js';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** The channel as the CLI assembles it, not started yet, with the bot's real customer-service keys. */
function chatbotApp(apiBase: string) {
  const app = createTestApp(
    {
      channel_type: 'wechat_chatbot',
      wechat_chatbot_token: REAL_KEFU.token,
      wechat_chatbot_aes_key: REAL_KEFU.aesKey,
      wechat_chatbot_appid: REAL_KEFU.appid,
      wechat_chatbot_api_base: apiBase,
      wechat_chatbot_host: '127.0.0.1',
      wechat_chatbot_port: 0,
    },
    { integrations: [wechatChatbotIntegration] },
  );
  app.useBot(new PrefixBot());
  return { app, channel: app.channel as WechatChatbotChannel };
}

describe('the dialogue platform server answers the ops paths', () => {
  it('/readyz is 503 until the channel has started and 200 after; /metrics counts the traffic, a sendmsg refusal by its errcode', async () => {
    // The platform refuses our pushes: it knows the bot by another TOKEN (errcode 1019).
    const platform = await startSendmsgServer({ token: 'aDifferentToken77', aesKey: REAL_KEFU.aesKey, appid: REAL_KEFU.appid });
    cleanups.push(platform.close);
    const { app, channel } = chatbotApp(platform.base);

    const probe: OpsServer = await app.ops.listen({ port: 0, host: '127.0.0.1' });
    cleanups.push(() => probe.close());
    const before = await fetch(`http://127.0.0.1:${probe.port}/readyz`);
    expect(before.status).toBe(503);
    expect(await before.json()).toMatchObject({ status: 'not ready', checks: { channel: { ready: false, detail: 'not started' }, store: { ready: true } } });

    await channel.start(app.pipeline.handle);
    cleanups.push(() => channel.stop());
    const url = `http://127.0.0.1:${channel.address!.port}`;
    const after = await fetch(`${url}/readyz`);
    expect(after.status).toBe(200);
    expect(await after.json()).toMatchObject({ status: 'ready', checks: { channel: { ready: true, detail: `listening on 127.0.0.1:${channel.address!.port}` } } });
    expect(await (await fetch(`${url}/healthz`)).json()).toEqual({ status: 'ok' });

    const keys = { token: REAL_KEFU.token, aesKey: REAL_KEFU.aesKey };
    const question = skillBody({ Query: '你好' }, keys);
    const post = (path: string, body: string) => fetch(`${url}${path}`, { method: 'POST', body });
    expect((await post('/wxchatbot/skill', question)).status).toBe(200);
    // The platform's retry of the same request, then a body encrypted with another key.
    expect((await post('/wxchatbot/skill', question)).status).toBe(200);
    expect((await post('/wxchatbot/skill', skillBody({ Query: 'x' }))).status).toBe(400);
    // A customer-service message: answered at once, the reply pushed through sendmsg, refused.
    expect((await post('/wxchatbot/kefu', JSON.stringify({ encrypted: REAL_KEFU.encrypted }))).status).toBe(200);
    await app.pipeline.drain(5000);

    const res = await fetch(`${url}/metrics`);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
    const samples = parsePrometheusText(await res.text());
    const callbacks = (result: string) => promValue(samples, 'wecom_bot_callbacks_total', { channel: 'wechat_chatbot', result });
    expect([callbacks('answered'), callbacks('repeated'), callbacks('refused')]).toEqual([2, 1, 1]);
    expect(promValue(samples, 'wecom_bot_replies_total', { channel: 'wechat_chatbot', type: 'TEXT', outcome: 'sent' })).toBe(1);
    expect(promValue(samples, 'wecom_bot_replies_total', { channel: 'wechat_chatbot', type: 'TEXT', outcome: 'failed' })).toBe(1);
    expect(promValue(samples, 'wecom_bot_send_errors_total', { channel: 'wechat_chatbot', errcode: '1019' })).toBe(1);
    expect(promValue(samples, 'wecom_bot_bot_latency_seconds_count')).toBe(2);
    // What #status shows an admin: the refusal, with its fix and without the TOKEN.
    const [refusal] = app.ops.recentErrors.last();
    expect(refusal!.text).toMatch(/errcode 1019.*wechat_chatbot_token/);
    expect(refusal!.text).not.toContain(REAL_KEFU.token);

    await channel.stop();
    expect((await fetch(`http://127.0.0.1:${probe.port}/readyz`)).status).toBe(503);
  });
});
