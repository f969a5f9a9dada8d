import { createMemoryStores } from '@wecom-bot/core/runtime';
import { parsePrometheusText, promValue, type PromSample } from '@wecom-bot/core/testing';
import { WXBizJsonMsgCrypt } from '@wecom-bot/wx-crypto';
import { afterEach, describe, expect, it } from 'vitest';
import {
  answeringBot, pollUntilFinished, startWebhookBot, startWsBot, stopAll, stopWebhookBots, streamOf, textMessage, WEBHOOK_AES_KEY,
} from './testing/index.js';

afterEach(async () => {
  await stopWebhookBots();
  await stopAll();
});

async function scrape(base: string): Promise<PromSample[]> {
  const res = await fetch(`${base}/metrics`);
  expect(res.status).toBe(200);
  return parsePrometheusText(await res.text());
}

async function readyz(base: string): Promise<{ status: number; body: { status: string; checks: Record<string, { ready: boolean; detail: string }> } }> {
  const res = await fetch(`${base}/readyz`);
  return { status: res.status, body: (await res.json()) as never };
}

describe('webhook mode: the callback server answers the ops paths', () => {
  it('counts what real traffic did: answered, repeated, acked and refused callbacks, the reply and its latency', async () => {
    const h = await startWebhookBot(answeringBot());
    const base = `http://127.0.0.1:${h.channel.port!}`;
    expect(await (await fetch(`${base}/healthz`)).json()).toEqual({ status: 'ok' });
    expect(await readyz(base)).toMatchObject({ status: 200, body: { status: 'ready', checks: { channel: { ready: true, detail: `webhook listening on port ${h.channel.port!}` } } } });

    const message = h.text('今天几号');
    const first = streamOf(await h.client.postMessage(message));
    await pollUntilFinished(h.client, first.id);
    // WeCom's retry of the same message, an event, and a callback signed with another token.
    await h.client.postMessage(message);
    await h.client.postMessage({ ...h.text(''), msgtype: 'event', event: { eventtype: 'enter_chat' }, text: undefined });
    const forged = await h.client.send(h.client.prepare(h.text('伪造'), new WXBizJsonMsgCrypt('anotherToken9', WEBHOOK_AES_KEY, ''), 'anotherToken9'));
    expect(forged.status).toBeGreaterThanOrEqual(400);

    const samples = await scrape(base);
    const callbacks = (result: string) => promValue(samples, 'wecom_bot_callbacks_total', { channel: 'wecom_bot', result });
    expect([callbacks('answered'), callbacks('repeated'), callbacks('acked'), callbacks('refused')]).toEqual([1, 1, 1, 1]);
    expect(promValue(samples, 'wecom_bot_replies_total', { channel: 'wecom_bot', type: 'TEXT', outcome: 'sent' })).toBe(1);
    expect(promValue(samples, 'wecom_bot_bot_latency_seconds_count')).toBe(1);
    expect(promValue(samples, 'wecom_bot_open_streams')).toBe(0);
    expect(promValue(samples, 'wecom_bot_queue_depth')).toBe(0);
  });
});

describe('websocket mode: the ops server on wecom_bot_ops_port', () => {
  it('answers /healthz and /readyz (connected), counts a stream frame WeCom refused by its errcode, and says when the connection is lost', async () => {
    const bot = answeringBot(true);
    const h = await startWsBot(bot, {}, { streamExpiryMs: 100 });
    const base = `http://127.0.0.1:${h.channel.opsPort!}`;
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    expect(await readyz(base)).toMatchObject({ status: 200, body: { checks: { channel: { ready: true, detail: 'long connection open' }, store: { ready: true } } } });

    h.server.pushMessage(textMessage('慢一点'));
    await h.server.waitForFrames((f) => f.cmd === 'aibot_respond_msg');
    expect(promValue(await scrape(base), 'wecom_bot_open_streams')).toBe(1);
    // Answered after the stream expired (846608): the answer goes by aibot_send_msg.
    await new Promise((resolve) => setTimeout(resolve, 150));
    bot.release();
    await h.server.waitForFrames((f) => f.cmd === 'aibot_send_msg');
    await h.app.pipeline.drain(2000);

    const samples = await scrape(base);
    expect(promValue(samples, 'wecom_bot_callbacks_total', { channel: 'wecom_bot', result: 'answered' })).toBe(1);
    expect(promValue(samples, 'wecom_bot_send_errors_total', { channel: 'wecom_bot', errcode: '846608' })).toBeGreaterThanOrEqual(1);
    expect(promValue(samples, 'wecom_bot_open_streams')).toBe(0);

    // WeCom is gone: the instance stays alive (healthz) but is not ready.
    await h.server.close();
    let lost = await readyz(base);
    for (let i = 0; i < 50 && lost.status === 200; i++) lost = await new Promise((resolve) => setTimeout(resolve, 20)).then(() => readyz(base));
    expect(lost).toMatchObject({ status: 503, body: { status: 'not ready', checks: { channel: { ready: false, detail: expect.stringMatching(/^long connection (reconnecting|stopped)$/) } } } });
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
  });

  it('an instance standing by while another holds the connection is ready, and says who holds it', async () => {
    const stores = createMemoryStores();
    const holder = await startWsBot(answeringBot(), {}, {}, { stores });
    const standby = await startWsBot(answeringBot(), {}, {}, { server: holder.server, stores });
    const { status, body } = await readyz(`http://127.0.0.1:${standby.channel.opsPort!}`);
    expect(status).toBe(200);
    expect(body.checks['channel']).toEqual({ ready: true, detail: expect.stringMatching(/^standing by: \S+:\d+:[0-9a-f]+ holds the long connection$/) });
    expect((await readyz(`http://127.0.0.1:${holder.channel.opsPort!}`)).body.checks['channel']).toEqual({ ready: true, detail: 'long connection open' });
  });

  it('wecom_bot_ops_port -1 runs no ops server', async () => {
    const h = await startWsBot(answeringBot(), { wecom_bot_ops_port: -1 });
    expect(h.channel.opsPort).toBeUndefined();
  });
});
