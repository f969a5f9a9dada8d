import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ContextType, createContext, textReply, type Reply } from '@wecom-bot/core';
import { afterEach, describe, expect, it } from 'vitest';
import { PASSIVE_WAITERS } from './passive-budget.js';
import { closeAll, sentTexts, sleep, start, text } from './testing/channel-harness.js';

afterEach(closeAll);

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
    const h = await start({ wechatcomapp_reply_format: 'markdown' });
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
        // Counted before the post: a quick reply may be sent before the ack arrives.
        const sent = h.api.sent.length;
        await h.wecom.post(text(h, key));
        await h.api.waitForSent(sent + 1);
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

  it('acks a burst at once instead of holding every callback for a passive reply: the window shrinks with the callbacks already waiting', async () => {
    const h = await start({ wechatcomapp_passive_reply_ms: 4000 });
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    h.bot.answer = async (c) => (await gate, textReply(`answer to ${c.content}`));
    const members = Array.from({ length: PASSIVE_WAITERS + 16 }, (_, i) => `member${i}`);
    let acked = 0;
    const posts = members.map((m) => h.wecom.post(text(h, `question of ${m}`, m)).then((answer) => (acked++, answer)));
    // While the bot has not answered anyone, the callbacks beyond the waiting ones come back
    // (long before the 4 s window), each an empty ack.
    await expect.poll(() => acked, { timeout: 3000, interval: 20 }).toBeGreaterThanOrEqual(16);
    release();
    const answers = await Promise.all(posts);
    expect(answers.every((a) => a.status === 200)).toBe(true);
    // Every member gets exactly one answer: in the callback, or through message/send.
    const passive = answers.filter((a) => a.reply !== undefined).map((a) => a.reply!.match(/answer to question of (member\d+)/)![1]!);
    await h.api.waitForSent(members.length - passive.length);
    const active = h.api.callsTo('message/send').map((call) => String((call.json as { touser: string }).touser));
    expect([...passive, ...active].sort()).toEqual([...members].sort());
  });
});
