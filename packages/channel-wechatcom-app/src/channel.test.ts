import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ContextType, INBOUND_MEDIA, createContext, ctxGet, resolveChannel, textReply, type Bot, type Context, type Reply } from '@wecom-bot/core';
import { createTestApp, type TestApp } from '@wecom-bot/core/testing';
import { WXBizMsgCrypt, computeSignature } from '@wecom-bot/wx-crypto';
import { afterEach, describe, expect, it } from 'vitest';
import type { WechatcomAppChannel } from './channel.js';
import { wechatcomAppConfigSection } from './config.js';
import { registerWechatcomApp } from './register.js';
import { FakeWecomApi, TEST_AES_KEY, WecomCallbackClient, memberMessage, nextMsgId, testWecomConfig } from './testing/index.js';

/** A bot whose answer each test chooses; it records every Context it is asked about. */
class ScriptedBot implements Bot {
  readonly name = 'scripted';
  readonly contexts: Context[] = [];
  answer: (context: Context) => Promise<Reply> = async (c) => textReply(`echo: ${c.content}`);

  async reply(context: Context): Promise<Reply> {
    this.contexts.push(context);
    return this.answer(context);
  }
}

interface Harness {
  app: TestApp;
  api: FakeWecomApi;
  bot: ScriptedBot;
  channel: WechatcomAppChannel;
  wecom: WecomCallbackClient;
  raw: Record<string, unknown>;
  url: string;
}

const open: Harness[] = [];

async function start(overrides: Record<string, unknown> = {}): Promise<Harness> {
  const probe = testWecomConfig('');
  const api = await FakeWecomApi.start({ corpId: String(probe.wechatcom_corp_id), secret: String(probe.wechatcomapp_secret) });
  const raw = testWecomConfig(api.baseUrl, { bot_type: 'scripted', wechatcomapp_passive_reply_ms: 0, ...overrides });
  const app = createTestApp(raw, { sections: [wechatcomAppConfigSection] });
  const bot = new ScriptedBot();
  app.bridge.registerBot('scripted', () => bot);
  registerWechatcomApp(app.container);
  const channel = resolveChannel(app.container) as WechatcomAppChannel;
  await channel.start(app.pipeline.handle);
  const url = `http://127.0.0.1:${channel.port}${String(raw.wechatcomapp_path ?? '/wxcomapp')}`;
  const wecom = new WecomCallbackClient({ url, token: String(raw.wechatcomapp_token), aesKey: TEST_AES_KEY, corpId: String(raw.wechatcom_corp_id) });
  const harness = { app, api, bot, channel, wecom, raw, url };
  open.push(harness);
  return harness;
}

afterEach(async () => {
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
});

const text = (h: Harness, content: string, from = 'zhangsan', msgId = nextMsgId()) =>
  memberMessage(String(h.raw.wechatcom_corp_id), from, 'text', { Content: content, MsgId: msgId });

/** POSTs a body in chunks without Content-Length; resolves to the status. */
function postChunked(url: string, chunks: string[]): Promise<number> {
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

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const sentTexts = (api: FakeWecomApi) => api.sent.filter((b) => b.msgtype === 'text').map((b) => (b.text as { content: string }).content);

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
    const signature = computeSignature(String(h.raw.wechatcomapp_token), '1700000000', '42', echostr);
    const query = `msg_signature=${signature}&timestamp=1700000000&nonce=42&echostr=`;
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

  it('serves /healthz', async () => {
    const h = await start();
    const response = await fetch(new URL('/healthz', h.url));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok' });
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
      ['LOCATION', '广州市海珠区'],
      ['LINK', 'https://example.com/a'],
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

describe('replies through the API', () => {
  it('splits a long text into ≤ 2048-byte parts, at line ends, sent in order', async () => {
    const h = await start();
    const lines = Array.from({ length: 120 }, (_, i) => `第${i}行：${'内容'.repeat(10)}`);
    h.bot.answer = async () => textReply(lines.join('\n'));
    await h.wecom.post(text(h, 'long please'));
    const parts = () => sentTexts(h.api);
    await h.api.waitForSent(3);
    await h.app.pipeline.drain(2000);
    expect(parts().length).toBeGreaterThanOrEqual(3);
    for (const part of parts()) expect(Buffer.byteLength(part)).toBeLessThanOrEqual(2048);
    expect(parts().join('\n')).toBe(lines.join('\n'));
    expect(parts()[0]).toBe(lines.slice(0, parts()[0]!.split('\n').length).join('\n'));
  });

  it('keeps the parts of a split reply together when another reply to the same member comes meanwhile', async () => {
    const h = await start();
    const to = createContext({ type: ContextType.TEXT, content: 'x', channel: 'wechatcom_app', receiver: 'zhangsan', senderId: 'zhangsan' });
    const long = Array.from({ length: 3 }, (_, i) => `${i}`.repeat(2000)).join('\n');
    await Promise.all([h.channel.send(textReply(long), to), h.channel.send(textReply('a notice'), to)]);
    expect(sentTexts(h.api).map((t) => t.slice(0, 8))).toEqual(['0'.repeat(8), '1'.repeat(8), '2'.repeat(8), 'a notice']);
  });

  it('uploads image bytes, an image URL, voice, video and file, then sends them by media id; markdown and news as such', async () => {
    const h = await start();
    const png = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex');
    const imageHost = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'image/jpeg' });
      res.end(Buffer.concat([Buffer.from([0xff, 0xd8, 0xff]), Buffer.alloc(100, 1)]));
    });
    await new Promise<void>((resolve) => imageHost.listen(0, '127.0.0.1', resolve));
    const imageUrl = `http://127.0.0.1:${(imageHost.address() as AddressInfo).port}/generated.jpg`;
    const amr = Buffer.concat([Buffer.from('#!AMR\n'), Buffer.alloc(320, 0x3c)]);
    const replies: Record<string, Reply> = {
      image: { type: 'IMAGE', content: { data: png, filename: 'chart.png', mimeType: 'image/png' } },
      url: { type: 'IMAGE_URL', content: imageUrl },
      voice: { type: 'VOICE', content: { data: amr, filename: 'reply.amr', mimeType: 'audio/amr', durationSeconds: 1 } },
      video: { type: 'VIDEO', content: { data: Buffer.alloc(64, 2), filename: 'clip.mp4', mimeType: 'video/mp4' } },
      file: { type: 'FILE', content: { data: Buffer.from('%PDF-1.4'), filename: 'a.pdf', mimeType: 'application/pdf' } },
      markdown: { type: 'MARKDOWN', content: '**bold**' },
      news: { type: 'NEWS', content: [{ title: 'T', url: 'https://example.com', picUrl: 'https://example.com/p.png' }] },
    };
    h.bot.answer = async (c) => replies[c.content]!;
    try {
      for (const key of Object.keys(replies)) {
        await h.wecom.post(text(h, key));
        await h.api.waitForSent(h.api.sent.length + 1);
      }
    } finally {
      imageHost.close();
    }
    expect(h.api.uploads.map((u) => [u.type, u.filename, u.contentType])).toEqual([
      ['image', 'chart.png', 'image/png'],
      ['image', 'image.jpg', 'image/jpeg'],
      ['voice', 'reply.amr', 'audio/amr'],
      ['video', 'clip.mp4', 'video/mp4'],
      ['file', 'a.pdf', 'application/pdf'],
    ]);
    expect(h.api.uploads[0]!.data.equals(png)).toBe(true);
    expect(h.api.uploads[2]!.data.equals(amr)).toBe(true);
    const ids = h.api.uploads.map((u) => u.mediaId);
    expect(h.api.sent.map((b) => [b.msgtype, b[b.msgtype as string]])).toEqual([
      ['image', { media_id: ids[0] }],
      ['image', { media_id: ids[1] }],
      ['voice', { media_id: ids[2] }],
      ['video', { media_id: ids[3], title: 'clip.mp4' }],
      ['file', { media_id: ids[4] }],
      ['markdown', { content: '**bold**' }],
      ['news', { articles: [{ title: 'T', url: 'https://example.com', picurl: 'https://example.com/p.png' }] }],
    ]);
  });

  it('sends the link as text when an image reply cannot be downloaded, so the member is not left without an answer', async () => {
    const h = await start();
    const gone = createServer((_req, res) => res.writeHead(404).end());
    await new Promise<void>((resolve) => gone.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(gone.address() as AddressInfo).port}/expired.png`;
    h.bot.answer = async () => ({ type: 'IMAGE_URL', content: url });
    try {
      await h.wecom.post(text(h, 'draw a cat'));
      await h.api.waitForSent(1);
    } finally {
      gone.close();
    }
    expect(sentTexts(h.api)).toEqual([url]);
    expect(h.api.uploads).toHaveLength(0);
    expect(h.app.logLines.some((l) => l.includes('HTTP 404'))).toBe(true);
  });

  it('turns a bot failure into the short, polite error reply', async () => {
    const h = await start({ error_reply: '抱歉，出了点问题，请稍后再试。' });
    h.bot.answer = async () => {
      throw new Error('upstream 500 with a long stack trace');
    };
    await h.wecom.post(text(h, 'break'));
    await h.api.waitForSent(1);
    expect(sentTexts(h.api)).toEqual(['抱歉，出了点问题，请稍后再试。']);
  });

  it('refreshes the access token after 42001 and still delivers', async () => {
    const h = await start();
    await h.wecom.post(text(h, 'one'));
    await h.api.waitForSent(1);
    h.api.expireTokens();
    await h.wecom.post(text(h, 'two'));
    await h.api.waitForSent(2);
    expect(h.api.callsTo('gettoken')).toHaveLength(2);
    expect(h.api.callsTo('message/send').map((c) => c.answered)).toEqual([0, 42001, 0]);
    expect(sentTexts(h.api)).toEqual(['echo: one', 'echo: two']);
  });
});

describe('passive replies', () => {
  it('answers inside the callback, encrypted, when the reply is ready within the window', async () => {
    const h = await start({ wechatcomapp_passive_reply_ms: 2000 });
    const answer = await h.wecom.post(text(h, 'quick'));
    expect(answer.status).toBe(200);
    expect(answer.reply).toContain('<Content><![CDATA[echo: quick]]></Content>');
    expect(answer.reply).toContain('<ToUserName><![CDATA[zhangsan]]></ToUserName>');
    await h.app.pipeline.drain(2000);
    expect(h.api.callsTo('message/send')).toHaveLength(0);
  });

  it('gives a retry the same passive reply when the first answer never reached WeCom, without asking the bot again', async () => {
    const h = await start({ wechatcomapp_passive_reply_ms: 2000 });
    h.bot.answer = async (c) => (await sleep(150), textReply(`echo: ${c.content}`));
    const first = h.wecom.prepare(text(h, 'answer lost on the way'));
    // The connection drops before the answer is written, so WeCom retries.
    await expect(fetch(first.url, { method: 'POST', body: first.body, signal: AbortSignal.timeout(50) })).rejects.toThrow();
    await h.app.pipeline.drain(2000);
    const retry = await h.wecom.send(first);
    expect(retry.reply).toContain('<Content><![CDATA[echo: answer lost on the way]]></Content>');
    // A retry that arrives while the first attempt still waits gets the reply too.
    const second = h.wecom.prepare(text(h, 'retried early'));
    const [, early] = await Promise.all([h.wecom.send(second), sleep(30).then(() => h.wecom.send(second))]);
    expect(early.reply).toContain('<Content><![CDATA[echo: retried early]]></Content>');
    expect(h.bot.contexts.map((c) => c.content)).toEqual(['answer lost on the way', 'retried early']);
    expect(h.api.callsTo('message/send')).toHaveLength(0);
  });

  it('answers empty at the end of the window and sends a slow reply through the API', async () => {
    const h = await start({ wechatcomapp_passive_reply_ms: 100 });
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    h.bot.answer = async (c) => (await gate, textReply(`late: ${c.content}`));
    const answer = await h.wecom.post(text(h, 'slow'));
    expect(answer).toEqual({ status: 200, body: '' });
    release();
    await h.api.waitForSent(1);
    expect(sentTexts(h.api)).toEqual(['late: slow']);
  });
});

describe('lifecycle', () => {
  it('says which port is taken when it cannot listen, and frees its port on stop', async () => {
    const h = await start();
    const port = h.channel.port!;
    const clash = createTestApp(testWecomConfig(h.api.baseUrl, { wechatcomapp_port: port }), { sections: [wechatcomAppConfigSection] });
    registerWechatcomApp(clash.container);
    const second = resolveChannel(clash.container);
    await expect(second.start(clash.pipeline.handle)).rejects.toThrow(/port is in use.*wechatcomapp_port/);
    await h.channel.stop();
    await expect(fetch(h.url)).rejects.toThrow();
  });
});
