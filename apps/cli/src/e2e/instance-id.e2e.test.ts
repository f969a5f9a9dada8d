// The instance id kept in <data_dir>/state/instance-id: a restarted `wecom-bot start` is the
// same instance, so it takes up its own unfinished work at once. Another instance would have
// to wait for the dead process's claim to run out; this test makes that wait an hour.
import { appendFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startFakeOpenAI, type FakeOpenAI } from '@wecom-bot/bot-openai/testing';
import { FakeWecomApi, memberMessage, nextMsgId, testWecomConfig, WecomCallbackClient } from '@wecom-bot/channel-wechatcom-app/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { startBot, type BotProcess } from './bot-process.js';

const keys = testWecomConfig('');
const CORP_ID = String(keys.wechatcom_corp_id);
const API_KEY = 'sk-e2e-instance-Hc5Pw2';

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/**
 * Moves the claim on every unfinished message in the dead process's outbox an hour ahead: a
 * line appended to the disk store's log (the last line of a key wins when it is read back).
 */
function holdClaimsForAnHour(stateDir: string): number {
  const path = join(stateDir, 'outbox.jsonl');
  const latest = new Map<string, { k: string; e: number; v?: { kind: string; claimedUntil: number } }>();
  for (const text of readFileSync(path, 'utf8').split('\n').filter(Boolean)) {
    const line = JSON.parse(text) as { k: string; e: number; v?: { kind: string; claimedUntil: number } };
    latest.set(line.k, line);
  }
  let held = 0;
  for (const line of latest.values()) {
    if (line.v?.kind !== 'message') continue;
    appendFileSync(path, `${JSON.stringify({ ...line, v: { ...line.v, claimedUntil: Date.now() + 3_600_000 } })}\n`);
    held += 1;
  }
  return held;
}

describe('a restart is the same instance (store "disk")', { timeout: 120_000 }, () => {
  it('keeps its instance id and resumes its own unanswered message at once, however long its old claim holds', async () => {
    const [wecom, openai]: [FakeWecomApi, FakeOpenAI] = await Promise.all([FakeWecomApi.start({ corpId: CORP_ID, secret: String(keys.wechatcomapp_secret) }), startFakeOpenAI({ apiKey: API_KEY })]);
    cleanups.push(() => wecom.close(), () => openai.close());
    const config = { ...testWecomConfig(wecom.baseUrl), wechatcomapp_passive_reply_ms: 0, bot_type: 'openai', open_ai_api_key: API_KEY, open_ai_api_base: openai.baseURL };
    // Generous start timeouts: cold starts are slow on a busy machine.
    let bot: BotProcess = await startBot(config, 40_000);
    cleanups.push(() => bot.stop());
    const stateDir = join(bot.dir, 'data', 'state');
    const idBefore = readFileSync(join(stateDir, 'instance-id'), 'utf8');
    const texts = () => wecom.sent.filter((m) => m.touser === 'zhangsan').map((m) => (m.text as { content: string } | undefined)?.content);

    // The first answer never comes: the process dies while the model is still writing.
    openai.setResponse('chat', { content: '太晚了', delayMs: 50_000 }, { content: '会议在三楼。' });
    const client = new WecomCallbackClient({ url: bot.callbackUrl, token: String(keys.wechatcomapp_token), aesKey: String(keys.wechatcomapp_aes_key), corpId: CORP_ID });
    expect((await client.post(memberMessage(CORP_ID, 'zhangsan', 'text', { Content: '会议在哪里？', MsgId: nextMsgId() }))).status).toBe(200);
    await expect.poll(() => openai.requestsTo('chat').length, { timeout: 10_000 }).toBe(1);
    await bot.kill();
    expect(holdClaimsForAnHour(stateDir)).toBe(1);

    bot = await startBot(config, 40_000, { dir: bot.dir });
    expect(readFileSync(join(stateDir, 'instance-id'), 'utf8')).toBe(idBefore);
    await expect.poll(() => texts(), { timeout: 20_000, interval: 100 }).toEqual(['会议在三楼。']);
    expect(openai.requestsTo('chat')).toHaveLength(2);
    expect(bot.stderr()).toContain('handling it again');
  });
});
