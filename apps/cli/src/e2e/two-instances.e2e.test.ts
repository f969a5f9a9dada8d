// Two real `wecom-bot start` processes on store "redis" behind a small load balancer: WeCom's
// retry of a message lands on the other instance than its first delivery, and a member's next
// message may land on either. Exactly one reply per message; the conversation goes on.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { once } from 'node:events';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { buffer } from 'node:stream/consumers';
import { startFakeOpenAI, type FakeOpenAI } from '@wecom-bot/bot-openai/testing';
import { FakeWecomApi, memberMessage, nextMsgId, testWecomConfig, WecomCallbackClient } from '@wecom-bot/channel-wechatcom-app/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { startBot } from './bot-process.js';
import { deleteRedisKeys } from './redis-keys.js';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const keys = testWecomConfig('');
const CORP_ID = String(keys.wechatcom_corp_id);
const API_KEY = 'sk-e2e-two-instances-Rt6Ya1';

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/**
 * The load balancer: a new message goes to the instances in turn, a repeated delivery (the
 * same request again: WeCom's retry) to the other instance than the last time.
 */
async function startBalancer(targets: readonly string[]): Promise<{ url: string; routed: number[]; server: Server }> {
  const last = new Map<string, number>();
  const routed: number[] = [];
  let turn = 0;
  const server = createServer((req, res) => {
    void buffer(req).then((body) => {
      const key = `${req.url}\n${body.toString()}`;
      const before = last.get(key);
      const index = before === undefined ? turn++ % targets.length : (before + 1) % targets.length;
      last.set(key, index);
      routed.push(index);
      const target = new URL(req.url ?? '/', targets[index]);
      const forward = request(target, { method: req.method, headers: { ...req.headers, host: target.host } }, (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      });
      forward.on('error', () => res.writeHead(502).end());
      forward.end(body);
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, routed, server };
}

describe('two instances sharing Redis behind a load balancer', { timeout: 120_000 }, () => {
  it("WeCom's retry on the other instance is not answered again, and the member's conversation continues across instances", async () => {
    const [wecom, openai]: [FakeWecomApi, FakeOpenAI] = await Promise.all([FakeWecomApi.start({ corpId: CORP_ID, secret: String(keys.wechatcomapp_secret) }), startFakeOpenAI({ apiKey: API_KEY })]);
    cleanups.push(() => wecom.close(), () => openai.close());
    const prefix = `wecom-bot-test:${randomUUID()}:`;
    cleanups.push(() => deleteRedisKeys(REDIS_URL, prefix));
    // The same config on both, as an operator would deploy it; each has its own data_dir.
    const config = {
      ...testWecomConfig(wecom.baseUrl),
      wechatcomapp_passive_reply_ms: 0,
      bot_type: 'openai',
      open_ai_api_key: API_KEY,
      open_ai_api_base: openai.baseURL,
      store: 'redis',
      redis_url: `${REDIS_URL}?prefix=${encodeURIComponent(prefix)}`,
    };
    // One after the other: two cold starts at once are slow on a small machine.
    const a = await startBot(config, 40_000);
    cleanups.push(() => a.stop());
    const b = await startBot(config, 40_000);
    cleanups.push(() => b.stop());
    const balancer = await startBalancer([a.callbackUrl, b.callbackUrl].map((url) => new URL(url).origin));
    cleanups.push(async () => balancer.server.close());
    const client = new WecomCallbackClient({ url: `${balancer.url}${new URL(a.callbackUrl).pathname}`, token: String(keys.wechatcomapp_token), aesKey: String(keys.wechatcomapp_aes_key), corpId: CORP_ID });
    const texts = () => wecom.sent.filter((m) => m.touser === 'zhangsan').map((m) => (m.text as { content: string } | undefined)?.content);

    // The first answer takes a moment, so the retry reaches B while A is still working on it.
    openai.setResponse('chat', { content: '会议在三楼。', delayMs: 500 }, { content: '您刚才问的是会议地点。' });
    const first = client.prepare(memberMessage(CORP_ID, 'zhangsan', 'text', { Content: '会议在哪里？', MsgId: nextMsgId() }));
    expect((await client.send(first)).status).toBe(200);
    expect((await client.send(first)).status).toBe(200);
    await expect.poll(() => texts(), { timeout: 10_000, interval: 50 }).toEqual(['会议在三楼。']);

    const second = client.prepare(memberMessage(CORP_ID, 'zhangsan', 'text', { Content: '我刚才问了什么？', MsgId: nextMsgId() }));
    expect((await client.send(second)).status).toBe(200);
    expect((await client.send(second)).status).toBe(200);
    await expect.poll(() => texts(), { timeout: 10_000, interval: 50 }).toEqual(['会议在三楼。', '您刚才问的是会议地点。']);

    // Long enough for a second (wrong) reply to have arrived if one were coming.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(texts()).toEqual(['会议在三楼。', '您刚才问的是会议地点。']);
    expect(balancer.routed).toEqual([0, 1, 1, 0]);
    expect(openai.requestsTo('chat')).toHaveLength(2);
    // B answered the second message with the turn A had with the member.
    const history = openai.requestsTo('chat')[1]!.json.messages.map((m: { content: string }) => m.content);
    expect(history).toEqual(expect.arrayContaining(['会议在哪里？', '会议在三楼。', '我刚才问了什么？']));
    expect(a.stderr() + b.stderr()).toContain('repeated delivery of a message already received');
    // Two instances, two ids (kept in each data_dir).
    const idOf = (dir: string) => readFileSync(join(dir, 'data', 'state', 'instance-id'), 'utf8');
    expect(idOf(a.dir)).not.toBe(idOf(b.dir));
  });
});
