import { memoryLogger } from '@wecom-bot/core/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeWecomApi } from '../testing/fake-wecom-api.js';
import { WecomApiClient } from './client.js';
import { WecomApiError } from './errors.js';

const CORP = 'wwResetTestCorp01';
const SECRET = 'ResetTestSecret-4kR8vN2pQ7';

let api: FakeWecomApi;
beforeEach(async () => {
  api = await FakeWecomApi.start({ corpId: CORP, secret: SECRET });
});
afterEach(async () => {
  await api.close();
});

const clientFor = (options: { requestTimeoutMs?: number } = {}) => {
  const log = memoryLogger();
  return { log, client: new WecomApiClient({ baseUrl: api.baseUrl, corpId: CORP, secret: SECRET, agentId: '1000002', logger: log.logger, retryBaseDelayMs: 1, ...options }) };
};
const contents = () => api.sent.map((b) => (b.text as { content: string }).content);

// 1,000 sequential sends take about 5 s alone; a loaded machine needs more.
describe('message/send over connections that are reset before the request is read', { timeout: 60_000 }, () => {
  it('delivers all of 1,000 sends at a 20% reset rate, none twice', async () => {
    const { client, log } = clientFor();
    api.resetEvery('message/send', 5);
    const started = performance.now();
    for (let i = 0; i < 1000; i++) await client.sendText('zhangsan', `m${i}`);
    const ms = performance.now() - started;

    const resets = api.callsTo('message/send').filter((c) => c.cut === 'reset').length;
    expect(resets).toBeGreaterThanOrEqual(200);
    expect(contents()).toEqual(Array.from({ length: 1000 }, (_, i) => `m${i}`));
    expect(new Set(contents()).size).toBe(1000);
    expect(log.lines.filter((l) => l.includes('retrying')).length).toBe(resets);
    console.info(`1,000 sends, ${resets} resets (20%): 1,000 delivered, 0 doubled, ${Math.round(ms)} ms`);
  });

  it('says "reset" for a reset that keeps coming, after the retries', async () => {
    const { client } = clientFor();
    api.failNext('message/send', { cut: 'reset' }, { cut: 'reset' }, { cut: 'reset' }, { cut: 'reset' });
    const error = await client.sendText('zhangsan', 'never').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WecomApiError);
    expect(error).toMatchObject({ api: 'message/send', failure: 'reset' });
    expect(api.callsTo('message/send')).toHaveLength(4);
    expect(api.sent).toHaveLength(0);
  });

  it('does not repeat a send that was read and left unanswered (WeCom may have acted on it)', async () => {
    const { client } = clientFor({ requestTimeoutMs: 300 });
    api.failNext('message/send', { cut: 'hang' });
    const error = await client.sendText('zhangsan', 'maybe').catch((e: unknown) => e);
    expect(error).toMatchObject({ api: 'message/send', failure: 'network' });
    expect(api.callsTo('message/send')).toHaveLength(1);
  });
});
