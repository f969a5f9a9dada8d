import { copyFileSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createContext } from '@wecom-bot/core';
import { createTestApp } from '@wecom-bot/core/testing';
import integration from './index.js';

const example = fileURLToPath(new URL('../faq.example.json', import.meta.url));

/** The bot behind the real pipeline, config.json in a temp folder beside its faq.json. */
function faqApp(raw: Record<string, unknown> = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'faq-bot-'));
  copyFileSync(example, join(dir, 'faq.json'));
  const app = createTestApp({ bot_type: 'faq', error_reply: 'error reply', ...raw }, { integrations: [integration], configPath: join(dir, 'config.json') });
  const ask = async (text: string) => {
    await app.pipeline.handle(createContext({ type: 'TEXT', content: text, channel: 'recording', senderId: 'alice' }));
    return app.recorder.sent.at(-1)?.reply.content;
  };
  return { app, dir, ask };
}

describe('FAQ bot', () => {
  it('answers from faq.json beside config.json, and falls back politely', async () => {
    const { ask } = faqApp({ faq_fallback: 'Sorry, I do not know that one.' });
    expect(await ask('怎么报销差旅费')).toMatch(/^在企业微信「审批 → 报销」/);
    expect(await ask('What is the office Wi-Fi password?')).toMatch(/^访客网络/);
    expect(await ask('今天食堂吃什么')).toBe('Sorry, I do not know that one.');
  });

  it('takes an edited file at the next message, without a restart', async () => {
    const { dir, ask } = faqApp();
    expect(await ask('VPN 怎么连')).toMatch(/^抱歉/);
    writeFileSync(join(dir, 'faq.json'), JSON.stringify({ 'VPN 怎么连？': '用 OpenVPN 客户端。' }));
    utimesSync(join(dir, 'faq.json'), new Date(), new Date(Date.now() + 5000)); // a new mtime even on coarse clocks
    expect(await ask('VPN 怎么连')).toBe('用 OpenVPN 客户端。');
  });

  it('gives error_reply when faq_file is missing, and check says so', async () => {
    const { app, dir, ask } = faqApp();
    rmSync(join(dir, 'faq.json'));
    expect(await ask('年假有几天')).toBe('error reply');
    expect(app.logLines.join('\n')).toMatch(/ENOENT.*faq\.json/);
    expect(await integration.check?.(app.config, { configPath: join(dir, 'config.json') })).toEqual([
      { level: 'error', message: expect.stringMatching(/^faq: cannot read faq_file: ENOENT/) },
    ]);
  });

  it('validates its keys with the rest of config.json', () => {
    expect(() => createTestApp({ bot_type: 'faq', faq_min_score: 2 }, { integrations: [integration] })).toThrow(/faq_min_score/);
  });
});
