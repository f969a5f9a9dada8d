// Two instances of the self-built app channel sharing one Redis keep WeCom's per-member limit
// together: a burst split between them is queued, never more than the limit in a window.
import { randomUUID } from 'node:crypto';
import { coreConfigSection, textReply, type Stores } from '@wecom-bot/core';
import { validateConfig } from '@wecom-bot/core/runtime';
import { memoryLogger } from '@wecom-bot/core/testing';
import { WechatcomAppChannel, wechatcomAppConfigSection } from '@wecom-bot/channel-wechatcom-app';
import { FakeWecomApi, testWecomConfig } from '@wecom-bot/channel-wechatcom-app/testing';
import { createRedisStores } from '@wecom-bot/store-redis';
import { afterEach, describe, expect, it } from 'vitest';
import { deleteRedisKeys } from './redis-keys.js';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** One instance: its own connection to the shared Redis, its own channel, the one WeCom. */
async function instance(api: FakeWecomApi, prefix: string, windowMs: number): Promise<WechatcomAppChannel> {
  const stores: Stores = await createRedisStores({ url: REDIS_URL, prefix });
  cleanups.push(() => stores.close());
  const { config } = validateConfig(testWecomConfig(api.baseUrl), [coreConfigSection, wechatcomAppConfigSection]);
  const { logger } = memoryLogger();
  return new WechatcomAppChannel(
    wechatcomAppConfigSection.read(config),
    { logger, seen: stores.seen, pacing: stores.pacing },
    // WeCom's 30 a minute, in a window short enough to wait out.
    { pacer: { windows: [{ limit: 30, windowMs }] } },
  );
}

describe('pacing shared through Redis', () => {
  it('two instances sending 40 messages to one member together: at most 30 reach WeCom in the first window, all 40 in the end', async () => {
    const arrivals: number[] = [];
    const probe = testWecomConfig('');
    const api = await FakeWecomApi.start({
      corpId: String(probe.wechatcom_corp_id),
      secret: String(probe.wechatcomapp_secret),
      onCall: (call) => void (call.api === 'message/send' && arrivals.push(Date.now())),
    });
    cleanups.push(() => api.close());
    const prefix = `wecom-bot-test:${randomUUID()}:`;
    cleanups.push(() => deleteRedisKeys(REDIS_URL, prefix));
    const windowMs = 1500;
    const [a, b] = [await instance(api, prefix, windowMs), await instance(api, prefix, windowMs)];

    // Every send is counted after this moment, so the 31st is counted (and sent) a window later at the earliest.
    const started = Date.now();
    const target = { receiver: 'zhangsan', isGroup: false };
    await Promise.all(Array.from({ length: 40 }, (_, i) => (i % 2 === 0 ? a : b).push(target, textReply(`message ${i}`))));

    expect(api.sent.filter((body) => body.touser === 'zhangsan')).toHaveLength(40);
    expect(new Set(api.sent.map((body) => (body.text as { content: string }).content)).size).toBe(40);
    expect(arrivals.filter((t) => t < started + windowMs).length).toBeLessThanOrEqual(30);
  });
});
