// The outbox through the real channel, in one test process: a "process" is a channel, its
// pipeline and its Outbox over stores shared with the next one (as the disk store or Redis are).
import { coreConfigSection, defineIntegration, Outbox, textReply, type Bot, type Context, type OutboxStore, type Reply, type Stores } from '@wecom-bot/core';
import { createMemoryStores, validateConfig } from '@wecom-bot/core/runtime';
import { createTestApp, memoryLogger } from '@wecom-bot/core/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { WechatcomAppChannel } from './channel.js';
import { wechatcomAppConfigSection } from './config.js';
import { CHANNEL_NAME } from './inbound/to-context.js';
import { FakeWecomApi } from './testing/fake-wecom-api.js';
import { WecomCallbackClient, memberMessage, nextMsgId } from './testing/callback-client.js';
import { TEST_AES_KEY, testWecomConfig } from './testing/test-config.js';

const probe = testWecomConfig('');
const CORP = String(probe.wechatcom_corp_id);
const never = () => new Promise<never>(() => {});
const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/**
 * The outbox store as a process sees it; after `die()` nothing it asks of the store happens
 * (kill -9), and `die()` resolves when it first asks.
 */
function mortal(store: OutboxStore): { store: OutboxStore; die: () => Promise<void> } {
  let dead = false;
  let asked!: () => void;
  const askedAfterDeath = new Promise<void>((resolve) => (asked = resolve));
  const proxy = new Proxy(store, {
    get(target, key) {
      const value: unknown = Reflect.get(target, key, target);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => (dead ? (asked(), never()) : Reflect.apply(value, target, args));
    },
  });
  return { store: proxy, die: () => ((dead = true), askedAfterDeath) };
}

const configOnly = defineIntegration({ name: 'wechatcom-config', config: [wechatcomAppConfigSection] });
let processes = 0;

async function startProcess(stores: Stores, api: FakeWecomApi, answer: (context: Context) => Promise<Reply>, overrides: Record<string, unknown> = {}) {
  const raw = testWecomConfig(api.baseUrl, { bot_type: 'scripted', wechatcomapp_passive_reply_ms: 0, ...overrides });
  const { config } = validateConfig(raw, [coreConfigSection, wechatcomAppConfigSection]);
  const { logger, lines } = memoryLogger();
  const outboxStore = mortal(stores.outbox);
  const outbox = new Outbox(CHANNEL_NAME, { store: outboxStore.store, owner: `process-${++processes}`, logger, config, claimMs: 300 });
  const channel = new WechatcomAppChannel(wechatcomAppConfigSection.read(config), { logger, seen: stores.seen, outbox }, { api: { retryBaseDelayMs: 5 } });
  const app = createTestApp(raw, { channel, stores, integrations: [configOnly] });
  const asked: Context[] = [];
  const bot: Bot = { name: 'scripted', reply: (context) => (asked.push(context), answer(context)) };
  app.useBot(bot);
  await channel.start(app.pipeline.handle);
  cleanups.push(() => channel.stop());
  const wecom = new WecomCallbackClient({ url: `http://127.0.0.1:${channel.port}/wxcomapp`, token: String(raw.wechatcomapp_token), aesKey: TEST_AES_KEY, corpId: CORP });
  const say = (content: string, msgId = nextMsgId()) => wecom.post(memberMessage(CORP, 'zhangsan', 'text', { Content: content, MsgId: msgId }));
  /** kill -9: the server goes, and the process never touches the outbox again. */
  const kill = async () => {
    void outboxStore.die();
    await channel.stop();
  };
  return { asked, lines, say, kill, storeDies: outboxStore.die };
}

async function fakeApi() {
  const api = await FakeWecomApi.start({ corpId: CORP, secret: String(probe.wechatcomapp_secret) });
  cleanups.push(() => api.close());
  return api;
}
const sentTexts = (api: FakeWecomApi) => api.sent.map((b) => (b.text as { content: string }).content);

describe('wechatcom_app channel with an outbox', () => {
  it('answers, once, a message acked by a process that died before its answer; WeCom\'s retry then is acknowledged only', async () => {
    const [api, stores] = [await fakeApi(), createMemoryStores()];
    const first = await startProcess(stores, api, never);
    const msgId = nextMsgId();
    expect((await first.say('会议在哪里？', msgId)).status).toBe(200);
    await expect.poll(() => first.asked.length).toBe(1);
    await first.kill();

    const second = await startProcess(stores, api, async (c) => textReply(`答：${c.content}`));
    await expect.poll(() => sentTexts(api), { timeout: 10_000 }).toEqual(['答：会议在哪里？']);
    expect((await second.say('会议在哪里？', msgId)).status).toBe(200);
    await expect.poll(async () => stores.outbox.unfinished({ olderThanMs: 0 })).toEqual([]);
    expect(second.asked).toHaveLength(1);
    expect(sentTexts(api)).toEqual(['答：会议在哪里？']);
    expect(second.lines.some((l) => l.includes('handling it again'))).toBe(true);
  });

  it('keeps only the XML fields of a message, and resumes a record an earlier version wrote whole', async () => {
    const [api, stores] = [await fakeApi(), createMemoryStores()];
    const first = await startProcess(stores, api, never);
    expect((await first.say('会议在哪里？')).status).toBe(200);
    await expect.poll(() => first.asked.length).toBe(1);
    const [kept] = await stores.outbox.unfinished<{ message: unknown }>({ olderThanMs: 0 });
    expect(kept?.payload.message).toMatchObject({ FromUserName: 'zhangsan', MsgType: 'text', Content: '会议在哪里？' });
    expect(kept?.payload.message).not.toHaveProperty('fields');
    await first.kill();

    // What the version before wrote: the typed message with its fields inside.
    const fields = { ToUserName: CORP, FromUserName: 'lisi', CreateTime: '1700000000', MsgType: 'text', Content: '几点开会？', MsgId: nextMsgId(), AgentID: '1000002' };
    const whole = { toUserName: CORP, fromUserName: 'lisi', createTime: 1700000000, msgType: 'text', msgId: fields.MsgId, agentId: '1000002', fields };
    await stores.outbox.add({ id: `${CHANNEL_NAME}:m:id:${fields.MsgId}`, kind: 'message', owner: 'an-older-process', payload: { target: { receiver: 'lisi', isGroup: false }, message: whole, receivedAt: Date.now(), resumes: 0 } }, { claimMs: 0, ttlMs: 60_000 });

    const second = await startProcess(stores, api, async (c) => textReply(`答：${c.content}`));
    await expect.poll(() => [...sentTexts(api)].sort(), { timeout: 10_000 }).toEqual(['答：会议在哪里？', '答：几点开会？']);
    expect(second.asked.map((c) => c.senderId).sort()).toEqual(['lisi', 'zhangsan']);
  });

  it('answers WeCom\'s retry after a process died while recording the message (before anything marked it seen)', async () => {
    const [api, stores] = [await fakeApi(), createMemoryStores()];
    const first = await startProcess(stores, api, never);
    const recording = first.storeDies(); // the outbox write of the next message never completes: the process is gone
    const msgId = nextMsgId();
    const lost = first.say('会议在哪里？', msgId).catch(() => 'no answer');
    await recording;
    await first.kill();
    expect(await lost).toBe('no answer');

    const second = await startProcess(stores, api, async (c) => textReply(`答：${c.content}`));
    expect((await second.say('会议在哪里？', msgId)).status).toBe(200);
    await expect.poll(() => sentTexts(api), { timeout: 10_000 }).toEqual(['答：会议在哪里？']);
    expect(second.asked).toHaveLength(1);
  });

  it('sends a reply recorded but not confirmed once after the restart, without asking the bot again', async () => {
    const [api, stores] = [await fakeApi(), createMemoryStores()];
    api.failNext('message/send', { cut: 'hang' });
    const first = await startProcess(stores, api, async () => textReply('三楼'));
    await first.say('会议在哪里？');
    await expect.poll(() => api.callsTo('message/send').length).toBe(1);
    await first.kill();

    const second = await startProcess(stores, api, async () => textReply('should not be asked'));
    await expect.poll(() => sentTexts(api), { timeout: 10_000 }).toEqual(['三楼']);
    await expect.poll(async () => stores.outbox.unfinished({ olderThanMs: 0 })).toEqual([]);
    expect(second.asked).toHaveLength(0);
    expect(second.lines.some((l) => l.includes('sending it once more'))).toBe(true);
  });

  it('leaves the outbox empty after a passive answer and after an active one', async () => {
    const [api, stores] = [await fakeApi(), createMemoryStores()];
    const passive = await startProcess(stores, api, async (c) => textReply(`re:${c.content}`), { wechatcomapp_passive_reply_ms: 3000 });
    expect((await passive.say('快')).reply).toContain('re:快');
    const active = await startProcess(stores, api, async (c) => textReply(`re:${c.content}`));
    await active.say('慢');
    await expect.poll(() => sentTexts(api)).toEqual(['re:慢']);
    await expect.poll(async () => stores.outbox.unfinished({ olderThanMs: 0 })).toEqual([]);
  });
});
