import { startFakeOpenAI, type FakeOpenAI } from '@wecom-bot/bot-openai/testing';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bubbleTexts, bubbles, launchChromium, openPage, screenshot, startDev, type RunningDev } from './testing/browser.js';

// The OpenAI bot (a fake OpenAI server on loopback) behind the AI bot's real channel and long connection.
const API_KEY = 'sk-dev-e2e-Rk29vQ7mXw';
const ANSWER = '## 本周小结\n\n1. 完成**接口联调**\n2. 修复三个缺陷\n\n<font color="warning">下周一上线</font>，详见 `CHANGELOG`。';
/** Runs in the page: records each text the last streaming bubble of the bot shows (as a string: the tests compile without the DOM library). */
const WATCH_STREAM = `(() => {
  const seen = (window.seen = []);
  new MutationObserver(() => {
    const bubble = [...document.querySelectorAll('[data-from=bot][data-kind=markdown][data-streaming=true] .bubble')].at(-1);
    const text = bubble ? bubble.textContent : '';
    if (text && text !== '思考中…' && !seen.includes(text)) seen.push(text);
  }).observe(document.querySelector('[data-testid=messages]'), { subtree: true, childList: true, characterData: true, attributes: true });
})()`;
let openai: FakeOpenAI;
let dev: RunningDev;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  openai = await startFakeOpenAI({ apiKey: API_KEY });
  dev = await startDev({ open_ai_api_key: API_KEY, open_ai_api_base: openai.baseURL, wecom_bot_name: '小微', wecom_bot_stream_interval_ms: 100 });
  browser = await launchChromium();
  page = await openPage(browser, dev.server.url);
}, 30_000);

afterAll(async () => {
  await browser?.close();
  await dev?.server.stop();
  await openai?.close();
});

describe('wecom-bot dev: the group chat with the AI bot', () => {
  it('delivers only @-messages, and grows the answer in its bubble as the model writes it', async () => {
    openai.setResponse('chat', { content: ANSWER, chunks: ANSWER.match(/[\s\S]{1,3}/g) ?? [], chunkDelayMs: 80 });
    await page.getByTestId('chat-group').click();
    const input = page.getByTestId('composer-input');
    await input.fill('大家好');
    await input.press('Enter');
    await expect.poll(() => page.locator('[data-testid=record]', { hasText: 'not delivered: in a group the AI bot receives only messages that @小微' }).count()).toBe(1);

    // "@" offers the bot, as the client does.
    await input.fill('@');
    await page.getByTestId('mention-pop').click();
    await input.pressSequentially('总结一下本周');
    await input.press('Enter');
    const answer = bubbles(page, 'bot', 'markdown').last();
    // Every text the growing bubble shows, caught as the page changes (polling from here would miss some).
    await page.evaluate(WATCH_STREAM);
    await expect.poll(() => page.evaluate('window.seen.length'), { timeout: 10_000, interval: 20 }).toBeGreaterThan(2);
    await screenshot(page, 'group-streaming');
    await expect.poll(() => answer.getAttribute('data-streaming'), { timeout: 15_000 }).toBe('false');
    const seen = (await page.evaluate('window.seen')) as string[];
    const final = (await answer.locator('.bubble').textContent()) ?? '';
    // It grew: several partial texts were shown before the finished one.
    expect(seen.length).toBeGreaterThan(3);
    expect(seen[0]!.length).toBeLessThan(final.length);
    expect(openai.requestsTo('chat')[0]!.json.messages.at(-1)).toEqual({ role: 'user', content: '总结一下本周' });
    await screenshot(page, 'group-answer');
  }, 40_000);

  it('shows Markdown as the WeCom client does, and raw as the WeChat plugin would', async () => {
    const bubble = bubbles(page, 'bot', 'markdown').last().locator('.bubble');
    expect(await bubble.locator('h2').textContent()).toBe('本周小结');
    expect(await bubble.locator('strong').textContent()).toBe('接口联调');
    expect(await bubble.locator('.md-warning').textContent()).toBe('下周一上线');
    expect(await bubble.locator('code').textContent()).toBe('CHANGELOG');
    await page.getByTestId('markdown-toggle').check();
    expect(await bubbleTexts(page, 'bot', 'markdown')).toEqual([ANSWER]);
    await screenshot(page, 'group-raw-markdown');
    await page.getByTestId('markdown-toggle').uncheck();
  }, 20_000);

  it('lists each long-connection frame with its timing, the stream frames under the message they answer', async () => {
    await page.getByTestId('tab-frame').click();
    const titles = await page.locator('[data-testid=record][data-kind=frame] .title').allTextContents();
    expect(titles).toEqual(expect.arrayContaining(['aibot_subscribe', 'aibot_msg_callback (text) pushed', 'aibot_respond_msg (stream)', 'aibot_respond_msg (finish)']));
    // The subscribe frame is shown without the bot's secret.
    await page.locator('[data-testid=record]', { hasText: 'aibot_subscribe' }).locator('.record-line').click();
    const subscribe = await page.getByTestId('record-detail').textContent();
    expect(subscribe).toContain('"secret": "…"');
    await screenshot(page, 'panel-frames');
    await page.getByTestId('tab-all').click();
  }, 20_000);

  it('846608 on demand: the open stream expires and the answer arrives separately (aibot_send_msg)', async () => {
    openai.setResponse('chat', { content: '很长的回答……结束。', chunks: ['很长', '的回答', '……', '结束。'], chunkDelayMs: 700 });
    await page.getByTestId('composer-input').fill('@小微 写一篇长文');
    await page.getByTestId('composer-input').press('Enter');
    await expect.poll(() => bubbles(page, 'bot', 'markdown').last().getAttribute('data-streaming'), { timeout: 5_000 }).toBe('true');
    await page.getByTestId('fault-846608').click();
    await expect.poll(() => page.locator('.row.theirs .via').allTextContents(), { timeout: 15_000 }).toContain('aibot_send_msg');
    expect((await bubbleTexts(page, 'bot', 'markdown')).at(-1)?.trim()).toBe('很长的回答……结束。');
    await screenshot(page, 'group-stream-expired');
  }, 30_000);
});
