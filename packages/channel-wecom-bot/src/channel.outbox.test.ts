import { setTimeout as sleep } from 'node:timers/promises';
import { createMemoryStores, Outbox, textReply, type Bot, type OutboxStore, type Stores } from '@wecom-bot/core';
import { memoryLogger } from '@wecom-bot/core/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { answeringBot, pollUntilFinished, startWebhookBot, startWsBot, stopAll, stopWebhookBots, streamFrames, streamOf, textMessage } from './testing/index.js';

// The outbox of the AI bot: a message whose answer was still being written when its process
// went away is answered after the restart, once and outside its (lost) bubble. The restart is
// played in-process: a second app on the same stores, with the same instance id (as data_dir
// keeps it); the first one's handling never ends. apps/cli/src/e2e/aibot-outbox.e2e.test.ts does it with kill -9.
afterEach(async () => {
  await stopAll();
  await stopWebhookBots();
});

/** The store's methods, bound, to build a variant from. */
const bound = (store: OutboxStore): OutboxStore => ({
  add: (entry, options) => store.add(entry, options),
  get: (id) => store.get(id),
  claim: (id, owner, claimMs) => store.claim(id, owner, claimMs),
  update: (id, owner, payload) => store.update(id, owner, payload),
  done: (id) => store.done(id),
  unfinished: (options) => store.unfinished(options),
});

/** Stores the test's processes share, as they would share a disk store or Redis (memory alone is volatile: no outbox). */
const shared = (): Stores => ({ ...createMemoryStores(), volatile: false });
/** What one data_dir keeps across a restart. */
const sameInstance = (): Stores => ({ ...shared(), instanceId: 'host-1:kept' });
const hanging: Bot = { name: 'hanging', reply: () => new Promise(() => undefined) };
const unfinished = (stores: Stores) => stores.outbox.unfinished({ olderThanMs: 0 });

/** A message accepted by another instance that died at once: it never renews its claim (50 ms). */
async function leftByADeadInstance(stores: Stores, message: Record<string, unknown>): Promise<void> {
  const neverRenews: OutboxStore = { ...bound(stores.outbox), claim: async () => undefined };
  const dead = new Outbox('wecom_bot', { store: neverRenews, owner: 'host-9:dead', logger: memoryLogger().logger, config: {}, claimMs: 50 });
  await dead.accept(String(message['msgid']), message, { receiver: 'zhangsan', isGroup: false });
  await sleep(100);
}

describe('AI bot outbox, long connection', () => {
  it('a message whose answer was pending is answered after the restart by aibot_send_msg, once, also when WeCom delivers it again', async () => {
    const stores = sameInstance();
    const before = await startWsBot(hanging, { wecom_bot_name: '小微' }, {}, { stores });
    const message = textMessage('@小微 会议在哪里？', { chattype: 'group', chatid: 'wrTEAM' });
    const reqId = before.server.pushMessage(message);
    await before.server.waitForFrames((f) => f.reqId === reqId);
    await expect.poll(() => unfinished(stores)).toHaveLength(1);
    await before.channel.stop();

    const bot = answeringBot();
    const after = await startWsBot(bot, { wecom_bot_name: '小微' }, {}, { server: before.server, stores });
    const [sent] = await after.server.waitForFrames((f) => f.cmd === 'aibot_send_msg');
    expect(sent!.body).toEqual({ chatid: 'wrTEAM', msgtype: 'markdown', markdown: { content: '答：会议在哪里？' } });
    // WeCom delivers the same msgid again on the new connection: acknowledged only.
    const again = after.server.pushMessage(message);
    await sleep(300);
    expect(streamFrames(after.server, again)).toEqual([]);
    expect(bot.asked).toEqual(['会议在哪里？']);
    expect(after.server.framesOf('aibot_send_msg')).toHaveLength(1);
    await expect.poll(() => unfinished(stores)).toEqual([]);
  });

  it('a message delivered again after its process died while recording it is answered (nothing marked it seen first)', async () => {
    const stores = sameInstance();
    let recording!: () => void;
    const recordingStarted = new Promise<void>((resolve) => (recording = resolve));
    // The first process dies inside the outbox write: it never completes.
    const diesWhileRecording: OutboxStore = { ...bound(stores.outbox), add: () => (recording(), new Promise<boolean>(() => undefined)) };
    const before = await startWsBot(hanging, {}, {}, { stores: { ...stores, outbox: diesWhileRecording } });
    const message = textMessage('会议在哪里？');
    before.server.pushMessage(message);
    await recordingStarted;
    await before.channel.stop();

    const bot = answeringBot();
    const after = await startWsBot(bot, {}, {}, { server: before.server, stores });
    const again = after.server.pushMessage(message);
    await expect.poll(() => JSON.stringify(streamFrames(after.server, again))).toContain('答：会议在哪里？');
    expect(bot.asked).toEqual(['会议在哪里？']);
  });

  it('an answer recorded but never confirmed is sent once more, without asking the bot again', async () => {
    const stores = sameInstance();
    // The process that died: it recorded the answer and was sending it.
    const dead = new Outbox('wecom_bot', { store: stores.outbox, owner: 'host-1:kept', logger: memoryLogger().logger, config: {} });
    const message = textMessage('会议在哪里？');
    const durable = await dead.accept(String(message['msgid']), message, { receiver: 'zhangsan', isGroup: false });
    void durable!.send(textReply('会议在三楼。'), () => new Promise(() => undefined));
    await expect.poll(async () => (await unfinished(stores))[0]?.payload).toMatchObject({ reply: { content: '会议在三楼。' } });

    const bot = answeringBot();
    const h = await startWsBot(bot, {}, {}, { stores });
    const [sent] = await h.server.waitForFrames((f) => f.cmd === 'aibot_send_msg');
    expect(sent!.body).toEqual({ chatid: 'zhangsan', msgtype: 'markdown', markdown: { content: '会议在三楼。' } });
    await expect.poll(() => unfinished(stores)).toEqual([]);
    await sleep(200);
    expect(h.server.framesOf('aibot_send_msg')).toHaveLength(1);
    expect(bot.asked).toEqual([]);
    dead.stop();
  });

  it('only the instance holding the connection lease resumes work a dead instance left', async () => {
    const stores = shared();
    const holderBot = answeringBot();
    const holder = await startWsBot(holderBot, {}, {}, { stores });
    // Left after the holder's first sweep: a standby that swept at its start would take it at once.
    await leftByADeadInstance(stores, textMessage('会议在哪里？'));
    const standbyBot = answeringBot();
    await startWsBot(standbyBot, {}, {}, { server: holder.server, stores });
    // The holder sweeps every few seconds.
    const [sent] = await holder.server.waitForFrames((f) => f.cmd === 'aibot_send_msg', 1, 15_000);
    expect(sent!.body).toEqual({ chatid: 'zhangsan', msgtype: 'markdown', markdown: { content: '答：会议在哪里？' } });
    expect(holderBot.asked).toEqual(['会议在哪里？']);
    expect(standbyBot.asked).toEqual([]);
    expect(holder.server.subscriptions).toBe(1);
  }, 30_000);
});

describe('AI bot outbox, webhook', () => {
  it("a message whose answer was pending is answered after the restart at its response_url, once; WeCom's retry is acknowledged only", async () => {
    const stores = sameInstance();
    const before = await startWebhookBot(hanging, {}, { stores });
    const message = before.text('会议在哪里？');
    const first = streamOf(await before.client.postMessage(message));
    await expect.poll(() => unfinished(stores)).toHaveLength(1);
    await before.channel.stop();

    const bot = answeringBot();
    const after = await startWebhookBot(bot, {}, { host: before.host, stores });
    await after.host.waitForPosts(1);
    expect(after.host.posts[0]!.body).toEqual({ msgtype: 'markdown', markdown: { content: '答：会议在哪里？' } });
    expect(after.host.posts[0]!.responseCode).toBe(new URL(String(message['response_url'])).searchParams.get('response_code'));
    // The old bubble's polls get a notice; WeCom's retry of the message gets an empty answer.
    expect(streamOf(await after.client.refresh(first.id))).toMatchObject({ finish: true, content: expect.stringContaining('单独发送') });
    expect((await after.client.postMessage(message)).reply).toBeUndefined();
    await sleep(200);
    expect(after.host.posts).toHaveLength(1);
    expect(bot.asked).toEqual(['会议在哪里？']);
  });

  it('a finished answer WeCom had not polled yet is sent to response_url after the restart; one it polled is not sent again', async () => {
    const stores = sameInstance();
    const before = await startWebhookBot(answeringBot(), {}, { stores });
    const polled = before.text('第一问');
    await pollUntilFinished(before.client, streamOf(await before.client.postMessage(polled)).id);
    const notPolled = before.text('第二问');
    await before.client.postMessage(notPolled);
    await expect.poll(async () => (await unfinished(stores)).map((e) => e.payload)).toMatchObject([{ reply: { content: '答：第二问' } }]);
    await before.channel.stop();

    const bot = answeringBot();
    const after = await startWebhookBot(bot, {}, { host: before.host, stores });
    await after.host.waitForPosts(1);
    await sleep(200);
    expect(after.host.posts.map((p) => p.body)).toEqual([{ msgtype: 'markdown', markdown: { content: '答：第二问' } }]);
    expect(after.host.posts[0]!.responseCode).toBe(new URL(String(notPolled['response_url'])).searchParams.get('response_code'));
    expect(bot.asked).toEqual([]);
    await expect.poll(() => unfinished(stores)).toEqual([]);
  });
});
