import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bubbleTexts, bubbles, launchChromium, openPage, screenshot, startDev, type, type RunningDev } from './testing/browser.js';

// A fresh clone: no config, no key. The echo bot answers through the real self-built-app channel.
let dev: RunningDev;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  dev = await startDev({});
  browser = await launchChromium();
  page = await openPage(browser, dev.server.url);
}, 30_000);

afterAll(async () => {
  await browser?.close();
  await dev?.server.stop();
});

describe('wecom-bot dev: the 1:1 chat with the self-built app', () => {
  it('says why the echo bot answers, and answers a typed message inside the callback (passive reply)', async () => {
    expect(await page.locator('.note').textContent()).toContain('No open_ai_api_key: the echo bot answers');
    await type(page, '你好，wecom-bot');
    await expect.poll(() => bubbleTexts(page, 'bot'), { timeout: 10_000 }).toEqual(['你好，wecom-bot']);
    expect(await page.locator('.row.theirs .via').last().textContent()).toBe('passive reply');
    expect(await bubbles(page, 'me').last().textContent()).toContain('你好，wecom-bot');
    await screenshot(page, 'app-echo-text');
  }, 30_000);

  it('shows the callback decrypted in the developer panel, with the passive reply decrypted too', async () => {
    await page.getByTestId('tab-callback').click();
    const record = page.locator('[data-testid=record][data-kind=callback]', { hasText: 'callback text → HTTP 200' }).last();
    await record.locator('.record-line').click();
    const detail = await record.getByTestId('record-detail').textContent();
    expect(detail).toContain('<Content><![CDATA[你好，wecom-bot]]></Content>');
    expect(detail).toContain('<MsgType><![CDATA[text]]></MsgType>');
    expect(detail).toContain('— as sent (signed, encrypted) —');
    expect(detail).toMatch(/msg_signature=[0-9a-f]{40}/);
    expect(detail).toContain('passive reply (decrypted)');
    // The URL verification WeCom's admin console does went through first.
    expect(await page.locator('[data-testid=record]', { hasText: 'URL verification' }).textContent()).toContain('HTTP 200');
    await screenshot(page, 'panel-decrypted-callback');
  }, 30_000);

  it("follows one message through the plugins when its bubble is clicked", async () => {
    await page.getByTestId('tab-plugins').click();
    await bubbles(page, 'me').last().locator('.bubble').click();
    const lines = page.locator('[data-testid=record][data-kind=plugins] .title');
    await expect.poll(() => lines.allTextContents()).toEqual([
      'onReceiveMessage → continue',
      expect.stringMatching(/^onHandleContext → continue/),
      'bot echo answered',
      'onDecorateReply → continue · reply TEXT',
      'onSendReply → continue · reply TEXT',
    ]);
    await page.locator('[data-testid=record][data-kind=plugins]').first().locator('.record-line').click();
    expect(await page.getByTestId('record-detail').first().textContent()).toContain('prefix');
    await screenshot(page, 'panel-plugin-trace');
    await page.locator('.trace-chip button').click();
    await page.getByTestId('tab-all').click();
  }, 30_000);

  it('sends enter_agent when the app is opened and a menu click with its key; the events plugin keeps both from the bot', async () => {
    await page.getByTestId('chat-group').click();
    await page.getByTestId('chat-app').click();
    await page.getByTestId('menu-menu_help').click();
    const events = page.locator('[data-testid=bubble][data-kind=event]');
    await expect.poll(() => events.allTextContents()).toEqual(['张三 进入应用', '张三 点击菜单 menu_help']);
    await events.last().click();
    const plugins = page.locator('[data-testid=record][data-kind=plugins]', { hasText: 'onHandleContext' });
    await expect.poll(() => plugins.locator('.title').allTextContents(), { timeout: 10_000 }).toEqual(['onHandleContext → break_pass']);
    await plugins.locator('.record-line').click();
    expect(await plugins.getByTestId('record-detail').textContent()).toMatch(/eventsbreak_pass/);
    expect(await bubbleTexts(page, 'bot')).toEqual(['你好，wecom-bot']);
    await page.locator('.trace-chip button').click();
  }, 30_000);

  it('sends a picture and a file as WeCom does (the media kept for media/get, the callback naming it)', async () => {
    const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');
    await page.getByTestId('image-file').setInputFiles({ name: 'dot.png', mimeType: 'image/png', buffer: png });
    const picture = bubbles(page, 'me', 'image').last().locator('img');
    await expect.poll(() => picture.evaluate((img: { naturalWidth: number }) => img.naturalWidth)).toBe(1);
    await page.getByTestId('file-file').setInputFiles({ name: '周报.txt', mimeType: 'text/plain', buffer: Buffer.from('本周完成接口联调') });
    await expect.poll(() => bubbles(page, 'me', 'file').last().textContent()).toContain('周报.txt');
    await expect.poll(() => bubbleTexts(page, 'bot'), { timeout: 10_000 }).toEqual(expect.arrayContaining([expect.stringMatching(/^\[IMAGE\] http:\/\/127\.0\.0\.1:\d+\/media\//), '[FILE] 周报.txt']));
    await screenshot(page, 'app-media');
  }, 30_000);

  it('answers the next message/send with 45009, then 60020, on demand: the panel shows the retry, and the log names the IP to trust', async () => {
    const long = '这是一条很长的回复。'.repeat(80); // over 2048 bytes: no passive reply, it goes through message/send
    await page.getByTestId('tab-all').click();
    await page.getByTestId('fault-45009').click();
    await type(page, long);
    const api = page.locator('[data-testid=record][data-kind=api] .title');
    await expect.poll(() => api.allTextContents(), { timeout: 15_000 }).toEqual(expect.arrayContaining(['message/send → errcode 45009', 'message/send → ok']));
    await page.getByTestId('fault-60020').click();
    await type(page, `${long}!`);
    await expect.poll(() => api.allTextContents(), { timeout: 15_000 }).toContain('message/send → errcode 60020');
    const log = page.locator('[data-testid=record][data-kind=log]', { hasText: 'Trusted IPs' });
    await expect.poll(() => log.textContent(), { timeout: 10_000 }).toContain('203.0.113.7');
    await screenshot(page, 'app-faults');
  }, 40_000);
});
