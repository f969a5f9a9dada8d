// Test helpers: the dev server as `wecom-bot dev` starts it, and Debian's Chromium driving its page.
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { openaiIntegration } from '@wecom-bot/bot-openai';
import { wechatcomAppIntegration } from '@wecom-bot/channel-wechatcom-app';
import { wecomBotIntegration } from '@wecom-bot/channel-wecom-bot';
import type { AppConfig } from '@wecom-bot/core';
import { coreIntegration, inspectConfig, integrationSections } from '@wecom-bot/core/runtime';
import { pluginsIntegration } from '@wecom-bot/plugins';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';
import { startDevServer, type DevServer } from '../dev-server.js';

export const CHROMIUM = '/usr/bin/chromium';
/** Flags for a headless Chromium in a container, with nothing reaching out to the network. */
export const CHROMIUM_FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
/** Screenshots to look at after a run (gitignored). */
export const ARTIFACTS = fileURLToPath(new URL('../../test-artifacts/', import.meta.url));

const integrations = [coreIntegration, wechatcomAppIntegration, wecomBotIntegration, openaiIntegration, pluginsIntegration];

export interface RunningDev {
  server: DevServer;
  /** What the dev server wrote to the terminal. */
  terminal: string[];
}

/**
 * The dev server with `raw` as config.json, loaded as the CLI loads it (no file, no
 * environment: the machine's OPEN_AI_API_KEY must not decide what a test sees).
 */
export async function startDev(raw: AppConfig): Promise<RunningDev> {
  const dir = mkdtempSync(join(tmpdir(), 'wecom-bot-dev-test-'));
  const loaded = inspectConfig({ path: join(dir, 'config.json'), sections: integrationSections(integrations), whenMissing: { data_dir: join(dir, 'data'), ...raw }, env: {} });
  const terminal: string[] = [];
  const sink = new Writable({ write: (chunk: Buffer, _encoding, done) => (terminal.push(chunk.toString()), done()) });
  const server = await startDevServer({ config: loaded.config, problems: loaded.problems, integrations, secretValues: loaded.secretValues, port: 0, terminal: sink });
  return { server, terminal };
}

export async function launchChromium(extraFlags: string[] = []): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: [...CHROMIUM_FLAGS, ...extraFlags] });
}

export async function openPage(browser: Browser, url: string): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  await page.goto(url);
  await page.getByTestId('chat-app').waitFor();
  return page;
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`) });
}

/** The bubbles of the open chat from `from` ("me" or "bot"). */
export function bubbles(page: Page, from: 'me' | 'bot', kind?: string): Locator {
  return page.locator(`[data-testid=bubble][data-from=${from}]${kind ? `[data-kind=${kind}]` : ''}`);
}

/** What the bubbles of the open chat from `from` show (their content, without avatar or label). */
export function bubbleTexts(page: Page, from: 'me' | 'bot', kind?: string): Promise<string[]> {
  return bubbles(page, from, kind).locator('.bubble').allTextContents();
}

export async function type(page: Page, text: string): Promise<void> {
  const input = page.getByTestId('composer-input');
  await input.fill(text);
  await input.press('Enter');
}

/** The part of an HTMLAudioElement used here (the tests compile without the DOM library). */
interface AudioElement {
  readyState: number;
  duration: number;
  src: string;
  addEventListener(type: string, listener: () => void): void;
}

/** Duration of an <audio>, once the browser has read its header: proves the page can play it. */
export function audioSeconds(audio: Locator): Promise<number> {
  return audio.evaluate(
    (element: AudioElement) =>
      new Promise<number>((resolve, reject) => {
        if (element.readyState >= 1) return resolve(element.duration);
        element.addEventListener('loadedmetadata', () => resolve(element.duration));
        element.addEventListener('error', () => reject(new Error(`cannot play ${element.src}`)));
      }),
  );
}
