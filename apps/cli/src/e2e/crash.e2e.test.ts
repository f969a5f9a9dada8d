import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { memberMessage, nextMsgId, testWecomConfig, WecomCallbackClient } from '@wecom-bot/channel-wechatcom-app/testing';
import { describe, expect, it } from 'vitest';
import { startBot } from './bot-process.js';

const keys = testWecomConfig('http://127.0.0.1:9');
const SECRET = String(keys.wechatcomapp_secret);

// A user plugin with a bug: a command starts a timer that throws, or that leaves a promise
// nobody awaits to reject, with the app secret in the error's message. (The timer lets the
// callback's acknowledgement go out first.)
const BUGGY_PLUGIN = `
export default {
  name: 'buggy',
  setup(host) { this.secret = host.config.wechatcomapp_secret; },
  onHandleContext(event) {
    const text = event.context.content.trim();
    const secret = this.secret;
    if (text === '#throw') setTimeout(() => { throw new Error('timer failed with ' + secret); }, 200);
    else if (text === '#reject') setTimeout(() => void Promise.reject(new Error('nobody awaited ' + secret)), 200);
  },
};
`;

async function crashWith(command: string) {
  const dir = mkdtempSync(join(tmpdir(), 'wecom-bot-crash-'));
  writeFileSync(join(dir, 'buggy.mjs'), BUGGY_PLUGIN);
  const bot = await startBot({ ...keys, bot_type: 'echo', voice_to_text: '', text_to_voice: '', plugins: ['./buggy.mjs'], log_level: 'info', wechatcomapp_passive_reply_ms: 0 }, 45_000, { dir });
  const client = new WecomCallbackClient({ url: bot.callbackUrl, token: String(keys.wechatcomapp_token), aesKey: String(keys.wechatcomapp_aes_key), corpId: String(keys.wechatcom_corp_id) });
  const answer = await client.post(memberMessage(String(keys.wechatcom_corp_id), 'zhangsan', 'text', { MsgId: nextMsgId(), Content: command }));
  expect(answer.status).toBe(200);
  const code = await bot.exited();
  const lines = bot.stderr().split('\n').filter(Boolean);
  return { code, lines, log: bot.stderr() };
}

describe('wecom-bot start: an error nothing caught is logged, then the process exits 70', () => {
  it("a plugin's timer that throws: one fatal JSON line with the stack, the secret masked", async () => {
    const { code, lines, log } = await crashWith('#throw');
    expect(code).toBe(70);
    const fatal = lines.filter((l) => l.includes('"level":"fatal"'));
    expect(fatal).toHaveLength(1);
    const entry = JSON.parse(fatal[0]!) as { msg: string; err: { stack: string } };
    expect(entry.msg).toMatch(/^uncaught exception: timer failed with/);
    expect(entry.err.stack).toContain('buggy.mjs');
    expect(log).not.toContain(SECRET);
    // Nothing but JSON lines: the error did not also reach stderr raw.
    for (const line of lines) expect(() => JSON.parse(line)).not.toThrow();
  }, 60_000);

  it('a rejected promise nobody awaited: one fatal JSON line, the secret masked', async () => {
    const { code, lines, log } = await crashWith('#reject');
    expect(code).toBe(70);
    const fatal = lines.filter((l) => l.includes('"level":"fatal"'));
    expect(fatal).toHaveLength(1);
    expect((JSON.parse(fatal[0]!) as { msg: string }).msg).toMatch(/^unhandled promise rejection: nobody awaited/);
    expect(log).not.toContain(SECRET);
  }, 60_000);
});
