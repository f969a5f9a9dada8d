import { startFakeOpenAI, type FakeOpenAI } from '@wecom-bot/bot-openai/testing';
import { decodeToPcm, makeTone } from '@wecom-bot/plugins/testing';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { audioSeconds, bubbles, launchChromium, openPage, screenshot, startDev, type RunningDev } from './testing/browser.js';

// Voice in and out through the real channel, the voice plugin's ffmpeg and a fake OpenAI speech API.
const API_KEY = 'sk-dev-voice-Hq83nVx2';
let openai: FakeOpenAI;
let dev: RunningDev;
const browsers: Browser[] = [];

beforeAll(async () => {
  openai = await startFakeOpenAI({ apiKey: API_KEY });
  openai.setHandler('transcriptions', () => ({ text: '明天上午十点开会' }));
  const spoken = await makeTone(2, 'mp3', 660);
  openai.setHandler('speech', () => ({ audio: spoken }));
  dev = await startDev({ open_ai_api_key: API_KEY, open_ai_api_base: openai.baseURL, voice_reply_voice: true });
}, 30_000);

afterAll(async () => {
  for (const browser of browsers) await browser.close();
  await dev?.server.stop();
  await openai?.close();
});

async function open(flags: string[] = []): Promise<Page> {
  const browser = await launchChromium(flags);
  browsers.push(browser);
  return openPage(browser, dev.server.url);
}

describe('wecom-bot dev: voice', () => {
  it('a voice file goes to the bot as AMR, is transcribed, and the spoken answer comes back playable', async () => {
    const page = await open();
    await page.getByTestId('voice-file').setInputFiles({ name: 'question.wav', mimeType: 'audio/wav', buffer: await makeTone(1.5, 'wav') });

    // What the member sent, decoded back from the AMR that WeCom carried: about 1.5 s.
    const mine = bubbles(page, 'me', 'voice').last();
    await mine.waitFor({ timeout: 15_000 });
    expect(await audioSeconds(mine.getByTestId('voice-audio'))).toBeCloseTo(1.5, 0);

    // The bot's answer: speech (2 s) made AMR by the voice plugin, uploaded, sent, and played here.
    const answer = bubbles(page, 'bot', 'voice').last();
    await answer.waitFor({ timeout: 20_000 });
    expect(await audioSeconds(answer.getByTestId('voice-audio'))).toBeCloseTo(2, 0);
    expect(await answer.locator('.via').textContent()).toBe('message/send');

    // The speech engine got the member's audio, and the bot got its words.
    const [transcription] = openai.requestsTo('transcriptions');
    const file = transcription!.multipart!.files.file!;
    expect((await decodeToPcm(file.data, file.filename.split('.').pop()!)).seconds).toBeCloseTo(1.5, 0);
    expect(openai.requestsTo('chat')[0]!.json.messages.at(-1)).toEqual({ role: 'user', content: '明天上午十点开会' });
    await page.getByTestId('tab-api').click();
    const calls = await page.locator('[data-testid=record][data-kind=api] .title').allTextContents();
    expect(calls).toEqual(expect.arrayContaining(['gettoken → ok', 'media/get → ok', 'media/upload → ok', 'message/send → ok']));
    await screenshot(page, 'voice-round-trip');

    // Playing it works in the browser (and shows so on the bubble).
    await answer.getByTestId('voice').click();
    await expect.poll(() => answer.getByTestId('voice').getAttribute('class')).toContain('playing');
  }, 60_000);

  it('records from the microphone with MediaRecorder (Chromium\'s fake device) and sends it the same way', async () => {
    const page = await open(['--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream']);
    const before = openai.requestsTo('transcriptions').length;
    await page.getByTestId('record-voice').click();
    await expect.poll(() => page.getByTestId('record-voice').textContent()).toContain('录音中');
    await page.waitForTimeout(1_500);
    await page.getByTestId('record-voice').click();
    await expect.poll(() => openai.requestsTo('transcriptions').length, { timeout: 20_000 }).toBe(before + 1);
    const mine = bubbles(page, 'me', 'voice').last();
    expect(await audioSeconds(mine.getByTestId('voice-audio'))).toBeGreaterThan(1);
    await screenshot(page, 'voice-recorded');
  }, 60_000);
});
