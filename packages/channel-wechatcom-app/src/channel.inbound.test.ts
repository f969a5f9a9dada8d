import { INBOUND_MEDIA, ctxGet } from '@wecom-bot/core';
import { createTestApp, parsePrometheusText, promValue } from '@wecom-bot/core/testing';
import { wechatcomAppIntegration } from './integration.js';
import { WXBizMsgCrypt, computeSignature } from '@wecom-bot/wx-crypto';
import { once } from 'node:events';
import { connect } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { closeAll, postChunked, sentTexts, sleep, start, text } from './testing/channel-harness.js';
import { TEST_AES_KEY, WecomCallbackClient, memberMessage, nextMsgId, testWecomConfig } from './testing/index.js';

afterEach(closeAll);

describe('callback URL verification (GET)', () => {
  it('answers the decrypted echostr alone, as plain text', async () => {
    const h = await start();
    const answer = await h.wecom.verify('6713929376341893498');
    expect(answer).toEqual({ status: 200, body: '6713929376341893498' });
  });

  it('verifies an echostr whose "+" arrives unescaped (a proxy decoded %2B), as well as escaped', async () => {
    const h = await start();
    let echostr = '';
    // Most echostrs hold a "+"; re-encrypt until this one does.
    while (!echostr.includes('+')) echostr = h.wecom.crypt.encrypt('5927358193510025411');
    // A current timestamp: stale ones are refused as replays.
    const timestamp = String(Math.floor(Date.now() / 1000));
    const signature = computeSignature(String(h.raw.wechatcomapp_token), timestamp, '42', echostr);
    const query = `msg_signature=${signature}&timestamp=${timestamp}&nonce=42&echostr=`;
    for (const sent of [encodeURIComponent(echostr), echostr]) {
      const response = await fetch(`${h.url}?${query}${sent}`);
      expect({ status: response.status, body: await response.text() }).toEqual({ status: 200, body: '5927358193510025411' });
    }
  });

  it('refuses a wrong Token with 401 and missing parameters with 400', async () => {
    const h = await start();
    const forged = new WecomCallbackClient({ url: h.url, token: 'SomeOtherToken1', aesKey: TEST_AES_KEY, corpId: String(h.raw.wechatcom_corp_id) });
    expect((await forged.verify()).status).toBe(401);
    expect((await fetch(`${h.url}?timestamp=1`)).status).toBe(400);
  });

  it('serves /healthz, /readyz (ready once listening, not after stop) and /metrics counting callbacks by result', async () => {
    const h = await start();
    const response = await fetch(new URL('/healthz', h.url));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok' });
    expect((await fetch(new URL('/readyz', h.url))).status).toBe(200);

    const first = h.wecom.prepare(text(h, 'hello'));
    await h.wecom.send(first);
    await h.wecom.send(first); // WeCom's retry
    const forged = new WecomCallbackClient({ url: h.url, token: 'SomeOtherToken1', aesKey: TEST_AES_KEY, corpId: String(h.raw.wechatcom_corp_id) });
    expect((await forged.post(text(h, 'forged'))).status).toBe(401);
    await h.api.waitForSent(1);
    const samples = parsePrometheusText(await (await fetch(new URL('/metrics', h.url))).text());
    const callbacks = (result: string) => promValue(samples, 'wecom_bot_callbacks_total', { channel: 'wechatcom_app', result });
    expect([callbacks('answered'), callbacks('repeated'), callbacks('refused')]).toEqual([1, 1, 1]);
    await expect.poll(async () => promValue(parsePrometheusText(await (await fetch(new URL('/metrics', h.url))).text()), 'wecom_bot_replies_total', { channel: 'wechatcom_app', type: 'TEXT', outcome: 'sent' })).toBe(1);
  });
});

describe('inbound messages (POST)', () => {
  it('acknowledges a text at once and answers through message/send', async () => {
    const h = await start();
    const msgId = nextMsgId();
    const answer = await h.wecom.post(text(h, '你好 0123', 'zhangsan', msgId));
    expect(answer).toEqual({ status: 200, body: '' });
    await h.api.waitForSent(1);
    expect(h.api.sent[0]).toEqual({ touser: 'zhangsan', agentid: 1000002, msgtype: 'text', text: { content: 'echo: 你好 0123' } });
    expect(h.bot.contexts[0]).toMatchObject({ type: 'TEXT', content: '你好 0123', senderId: 'zhangsan', receiver: 'zhangsan', isGroup: false, channel: 'wechatcom_app', messageId: msgId });
    expect(h.api.callsTo('gettoken')).toHaveLength(1);
  });

  it('turns image, voice, video, file, location, link and events into Contexts of the right type', async () => {
    const h = await start();
    const corp = String(h.raw.wechatcom_corp_id);
    const amr = Buffer.from('#!AMR\n\x3c\x48\xf5\x1f', 'binary');
    const voiceId = h.api.addMedia(amr, 'audio/amr', 'voice.amr');
    const messages = [
      memberMessage(corp, 'u1', 'image', { PicUrl: 'https://wework.qpic.cn/p/1', MediaId: 'IMG1', MsgId: nextMsgId() }),
      memberMessage(corp, 'u1', 'voice', { MediaId: voiceId, Format: 'amr', MsgId: nextMsgId() }),
      memberMessage(corp, 'u1', 'video', { MediaId: 'VID1', ThumbMediaId: 'TH1', MsgId: nextMsgId() }),
      memberMessage(corp, 'u1', 'file', { MediaId: 'FILE1', FileName: 'report.pdf', MsgId: nextMsgId() }),
      memberMessage(corp, 'u1', 'location', { Location_X: '23.134521', Location_Y: '113.358803', Scale: '15', Label: '广州市海珠区', MsgId: nextMsgId() }),
      memberMessage(corp, 'u1', 'link', { Title: 'T', Description: 'D', Url: 'https://example.com/a', PicUrl: '', MsgId: nextMsgId() }),
      memberMessage(corp, 'u1', 'event', { Event: 'enter_agent', EventKey: '' }),
      memberMessage(corp, 'u2', 'event', { Event: 'click', EventKey: 'MENU_HELP' }),
      memberMessage(corp, 'u3', 'event', { Event: 'subscribe' }),
    ];
    for (const xml of messages) expect((await h.wecom.post(xml)).status).toBe(200);
    await h.api.waitForSent(messages.length);
    // Different senders are different sessions, handled in parallel: compare without order.
    const seen = h.bot.contexts.map((c) => [c.type, c.content]);
    expect(seen).toHaveLength(messages.length);
    expect(seen).toEqual(expect.arrayContaining([
      ['IMAGE', 'https://wework.qpic.cn/p/1'],
      ['VOICE', voiceId],
      ['VIDEO', 'VID1'],
      ['FILE', 'report.pdf'],
      ['LOCATION', '广州市海珠区（纬度 23.134521，经度 113.358803）'],
      ['LINK', '标题：T\n描述：D\n网址：https://example.com/a'],
      ['EVENT', 'enter_agent'],
      ['EVENT', 'click'],
      ['EVENT', 'subscribe'],
    ]));
    // The voice plugin reads the AMR through INBOUND_MEDIA: a real media/get on the API.
    const byType = (type: string) => h.bot.contexts.find((c) => c.type === type)!;
    const media = ctxGet(byType('VOICE'), INBOUND_MEDIA);
    expect(media?.format).toBe('amr');
    expect((await media!.load()).equals(amr)).toBe(true);
    expect(h.api.callsTo('media/get')[0]?.query.media_id).toBe(voiceId);
    expect(ctxGet(byType('IMAGE'), INBOUND_MEDIA)?.format).toBe('jpg');
    expect(byType('LOCATION').raw).toMatchObject({ fields: { Location_X: '23.134521', Location_Y: '113.358803' } });
  });

  it('acknowledges and logs a message type it does not know, without calling the bot', async () => {
    const h = await start();
    const answer = await h.wecom.post(memberMessage(String(h.raw.wechatcom_corp_id), 'u', 'hologram', { MsgId: nextMsgId() }));
    expect(answer.status).toBe(200);
    expect(h.bot.contexts).toHaveLength(0);
    expect(h.app.logLines.some((l) => l.includes('not supported') && l.includes('hologram'))).toBe(true);
  });

  it("reaches the bot once and answers once when WeCom retries the same message (MsgId, and sender + CreateTime for events)", async () => {
    const h = await start();
    const first = h.wecom.prepare(text(h, 'only once'));
    // WeCom's three attempts: the same body, and a re-encryption of the same message.
    const again = h.wecom.prepare(h.wecom.crypt.decrypt(/<Encrypt><!\[CDATA\[([^\]]+)/.exec(first.body)![1]!));
    const answers = await Promise.all([h.wecom.send(first), h.wecom.send(first), h.wecom.send(again)]);
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200]);
    const event = memberMessage(String(h.raw.wechatcom_corp_id), 'u9', 'event', { Event: 'enter_agent' });
    await h.wecom.post(event);
    await h.wecom.post(event);
    await h.api.waitForSent(2);
    await h.app.pipeline.drain(2000);
    expect(h.bot.contexts.map((c) => c.content).sort()).toEqual(['enter_agent', 'only once']);
    expect(sentTexts(h.api).sort()).toEqual(['echo: enter_agent', 'echo: only once']);
  });
});

describe('bad requests get a 4xx and change nothing', () => {
  it('refuses a bad signature (401), a wrong corp id (403), broken XML (400) and an oversized body (413)', async () => {
    const h = await start({ wechatcomapp_max_body_bytes: 4096 });
    const corp = String(h.raw.wechatcom_corp_id);
    const forged = h.wecom.prepare(text(h, 'forged'), h.wecom.crypt, 'NotTheToken99');
    expect((await h.wecom.send(forged)).status).toBe(401);

    const otherCorp = new WXBizMsgCrypt(String(h.raw.wechatcomapp_token), TEST_AES_KEY, 'wwSomeOtherCorp');
    expect((await h.wecom.send(h.wecom.prepare(text(h, 'elsewhere'), otherCorp))).status).toBe(403);

    const good = h.wecom.prepare(text(h, 'x'));
    expect((await h.wecom.send({ url: good.url, body: good.body.replace('</xml>', '') })).status).toBe(400);
    const brokenInside = h.wecom.prepare('<xml><FromUserName>u</FromUserName><MsgType>text</MsgType><Content>oops</xml>');
    const refused = await h.wecom.send(brokenInside);
    expect(refused.status).toBe(400);
    expect(refused.body).toMatch(/not well-formed/);

    const tooBig = h.wecom.prepare(memberMessage(corp, 'u', 'text', { Content: 'y'.repeat(5000), MsgId: nextMsgId() }));
    expect((await h.wecom.send(tooBig)).status).toBe(413);

    expect((await h.wecom.send({ url: good.url, body: '' })).status).toBe(400);
    // Without a Content-Length (chunked), the limit still holds while reading.
    expect(await postChunked(tooBig.url, [tooBig.body.slice(0, 3000), tooBig.body.slice(3000)])).toBe(413);
    expect(h.bot.contexts).toHaveLength(0);
    expect(h.app.logLines.filter((l) => l.includes('callback refused')).length).toBeGreaterThanOrEqual(6);

    // One bad request never stops the others.
    expect((await h.wecom.post(text(h, 'still here'))).status).toBe(200);
    await h.api.waitForSent(1);
    expect(sentTexts(h.api)).toEqual(['echo: still here']);
  });

  it('logs a client that hangs up mid-body at info, answers nothing for it, and goes on serving', async () => {
    const h = await start();
    const half = h.wecom.prepare(text(h, 'never finished'));
    const { pathname, search, port } = new URL(half.url);
    const socket = connect(Number(port), '127.0.0.1');
    await once(socket, 'connect');
    // Promise a whole body, send a third of it, and go away.
    socket.write(`POST ${pathname}${search} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/xml\r\nContent-Length: ${Buffer.byteLength(half.body)}\r\n\r\n`);
    socket.write(half.body.slice(0, Math.floor(half.body.length / 3)));
    await sleep(50);
    socket.destroy();
    await expect.poll(() => h.app.logLines.find((l) => l.includes('before the body arrived'))).toBeDefined();
    expect(JSON.parse(h.app.logLines.find((l) => l.includes('before the body arrived'))!)).toMatchObject({ level: 'info', status: 400 });

    expect((await h.wecom.post(text(h, 'next one'))).status).toBe(200);
    await h.api.waitForSent(1);
    expect(sentTexts(h.api)).toEqual(['echo: next one']);
    expect(h.bot.contexts.map((c) => c.content)).toEqual(['next one']);
  });

  it('refuses an XML entity bomb and an external entity, outside and inside the encryption, without expanding them', async () => {
    const h = await start();
    const defs = ['<!ENTITY a "aaaaaaaaaa">', ...Array.from({ length: 9 }, (_, i) => `<!ENTITY a${i + 1} "${`&a${i === 0 ? '' : i};`.repeat(10)}">`)].join('');
    const bomb = `<?xml version="1.0"?><!DOCTYPE xml [${defs}]><xml><ToUserName>c</ToUserName><Encrypt>&a9;</Encrypt></xml>`;
    const good = h.wecom.prepare(text(h, 'x'));
    const started = Date.now();
    const outside = await h.wecom.send({ url: good.url, body: bomb });
    expect(outside.status).toBe(400);
    expect(outside.body).toMatch(/DOCTYPE/);
    const xxe = '<!DOCTYPE xml [<!ENTITY e SYSTEM "file:///etc/passwd">]><xml><FromUserName>u</FromUserName><MsgType>text</MsgType><Content>&e;</Content><MsgId>1</MsgId></xml>';
    const inside = await h.wecom.send(h.wecom.prepare(xxe));
    expect(inside.status).toBe(400);
    expect(inside.body).not.toContain('root:');
    expect(Date.now() - started).toBeLessThan(1000);
    expect(h.bot.contexts).toHaveLength(0);
  });
});


describe('lifecycle', () => {
  it('says which port is taken when it cannot listen, and frees its port on stop', async () => {
    const h = await start();
    const port = h.channel.port!;
    const clash = createTestApp(testWecomConfig(h.api.baseUrl, { wechatcomapp_port: port }), { integrations: [wechatcomAppIntegration] });
    await expect(clash.channel.start(clash.pipeline.handle)).rejects.toThrow(/port is in use.*wechatcomapp_port/);
    await h.channel.stop();
    await expect(fetch(h.url)).rejects.toThrow();
  });
});
