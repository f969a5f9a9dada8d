import { textReply } from '@wecom-bot/core';
import { afterEach, describe, expect, it } from 'vitest';
import { closeAll, sentTexts, start, text } from './testing/channel-harness.js';

afterEach(closeAll);

// What models answer: Markdown that a WeCom text message would show with its markers.
const ANSWER = ['## 步骤', '1. 打开**设置**', '   - 选择 `高级`', '2. 阅读[说明](https://example.com/help)', '', '| 项 | 值 |', '| --- | --- |', '| 端口 | 9898 |'].join('\n');
const CLEAN = ['步骤', '', '1. 打开设置', '   • 选择 高级', '2. 阅读说明 (https://example.com/help)', '', '项 | 值', '端口 | 9898'].join('\n');

describe('wechatcomapp_reply_format', () => {
  it('sends a Markdown answer as clean text through message/send by default', async () => {
    const h = await start();
    h.bot.answer = async () => textReply(ANSWER);
    await h.wecom.post(text(h, '怎么设置？'));
    await h.api.waitForSent(1);
    await h.app.pipeline.drain(2000);
    expect(h.api.sent.map((b) => b.msgtype)).toEqual(['text']);
    expect(sentTexts(h.api)).toEqual([CLEAN]);
  });

  it('answers inside the callback with the clean text by default, and treats MARKDOWN replies the same way', async () => {
    const h = await start({ wechatcomapp_passive_reply_ms: 2000 });
    h.bot.answer = async () => ({ type: 'MARKDOWN', content: ANSWER });
    const answer = await h.wecom.post(text(h, '怎么设置？'));
    expect(answer.reply).toContain(`<Content><![CDATA[${CLEAN}]]></Content>`);
    await h.app.pipeline.drain(2000);
    expect(h.api.callsTo('message/send')).toHaveLength(0);
  });

  it('splits a long answer once, on the rendered text, so no part carries markers or exceeds 2048 bytes', async () => {
    const h = await start();
    const items = Array.from({ length: 80 }, (_, i) => `- **第${i}项**：${'说明'.repeat(8)}`);
    h.bot.answer = async () => textReply(items.join('\n'));
    await h.wecom.post(text(h, 'long'));
    await h.api.waitForSent(2);
    await h.app.pipeline.drain(2000);
    const parts = sentTexts(h.api);
    for (const part of parts) expect(Buffer.byteLength(part)).toBeLessThanOrEqual(2048);
    expect(parts.join('\n')).toBe(items.map((_, i) => `• 第${i}项：${'说明'.repeat(8)}`).join('\n'));
  });

  it('sends WeCom markdown as written with "markdown", actively even while the passive window is open', async () => {
    const h = await start({ wechatcomapp_reply_format: 'markdown', wechatcomapp_passive_reply_ms: 2000 });
    h.bot.answer = async () => textReply(ANSWER);
    const answer = await h.wecom.post(text(h, '怎么设置？'));
    expect(answer).toEqual({ status: 200, body: '' });
    await h.api.waitForSent(1);
    expect(h.api.sent.map((b) => [b.msgtype, b[b.msgtype as string]])).toEqual([['markdown', { content: ANSWER }]]);
  });

  it('refuses a format it does not know, naming the key', async () => {
    await expect(start({ wechatcomapp_reply_format: 'html' })).rejects.toThrow(/wechatcomapp_reply_format/);
  });
});
