import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { AppConfig, CheckItem } from '@wecom-bot/core';
import { coreConfigSection } from '@wecom-bot/core';
import { validateConfig } from '@wecom-bot/core/runtime';
import { memoryLogger } from '@wecom-bot/core/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { checkWecomBotLive } from './check-live.js';
import { wecomBotConfigSection } from './config.js';
import { FakeAibotServer } from './testing/fake-aibot-server.js';
import { answeringBot, startWebhookBot, stopWebhookBots, WEBHOOK_AES_KEY, WEBHOOK_TOKEN } from './testing/webhook-harness.js';
import { BOT_ID, BOT_SECRET } from './testing/ws-harness.js';

const servers: FakeAibotServer[] = [];
afterEach(async () => {
  await stopWebhookBots();
  for (const server of servers.splice(0)) await server.close();
});

async function live(raw: AppConfig): Promise<CheckItem[]> {
  const { config } = validateConfig({ channel_type: 'wecom_bot', wecom_bot_ops_port: -1, ...raw }, [coreConfigSection, wecomBotConfigSection], 'test config');
  const items = await checkWecomBotLive(config, { signal: AbortSignal.timeout(10_000), logger: memoryLogger().logger });
  const text = items.map((i) => i.message).join('\n');
  for (const secret of [BOT_SECRET, WEBHOOK_TOKEN, WEBHOOK_AES_KEY, 'wrong-secret-0123456789']) expect(text).not.toContain(secret);
  return items;
}

async function fakeWecom(): Promise<FakeAibotServer> {
  const server = await FakeAibotServer.start({ botId: BOT_ID, secret: BOT_SECRET });
  servers.push(server);
  return server;
}

describe('check --live for the AI bot', () => {
  it('does not log in while a wecom-bot with this config runs here (its ops server answers): that would take the bot over', async () => {
    const server = await fakeWecom();
    const running = createServer((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ ready: true, checks: { channel: { ready: true, detail: 'long connection open' } } })));
    running.listen(0, '127.0.0.1');
    await once(running, 'listening');
    try {
      const port = (running.address() as AddressInfo).port;
      const items = await live({ wecom_bot_id: BOT_ID, wecom_bot_secret: BOT_SECRET, wecom_bot_ws_url: server.url, wecom_bot_host: '127.0.0.1', wecom_bot_ops_port: port });
      expect(items).toEqual([{ level: 'warn', message: expect.stringMatching(new RegExp(`long connection not checked: a wecom-bot with this config is running here \\(its ops server on port ${port} answers \\(long connection open\\)\\)`)) }]);
      expect(server.subscriptions).toBe(0);
    } finally {
      running.close();
    }
  });

  it("does not log in while a live process holds this config's data_dir (a wecom-bot on the disk store)", async () => {
    const server = await fakeWecom();
    const dataDir = mkdtempSync(join(tmpdir(), 'wecom-bot-live-'));
    mkdirSync(join(dataDir, 'state'));
    const holder = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60_000)'], { stdio: 'ignore' });
    try {
      writeFileSync(join(dataDir, 'state', 'LOCK'), `${holder.pid}\n`);
      const items = await live({ wecom_bot_id: BOT_ID, wecom_bot_secret: BOT_SECRET, wecom_bot_ws_url: server.url, data_dir: dataDir });
      expect(items).toEqual([{ level: 'warn', message: expect.stringContaining(`long connection not checked: a wecom-bot with this config is running here (process ${holder.pid} holds this config's data_dir)`) }]);
      expect(server.subscriptions).toBe(0);
    } finally {
      holder.kill();
    }
  });

  it('subscribes on the long connection with the bot id and secret, then closes it', async () => {
    const server = await fakeWecom();
    const items = await live({ wecom_bot_id: BOT_ID, wecom_bot_secret: BOT_SECRET, wecom_bot_ws_url: server.url });
    expect(items).toEqual([{ level: 'ok', message: expect.stringMatching(/WeCom accepted wecom_bot_id "aibTESTBOT001" and wecom_bot_secret.*closed again/) }]);
    expect(server.subscriptions).toBe(1);
    // Nothing but the subscribe was sent, and the socket is closed again.
    expect(server.frames.map((f) => f.cmd)).toEqual(['aibot_subscribe']);
    await expect.poll(() => server.connections).toBe(0);
  });

  it("reports the platform's refusal, naming the key to fix", async () => {
    const server = await fakeWecom();
    const secret = await live({ wecom_bot_id: BOT_ID, wecom_bot_secret: 'wrong-secret-0123456789', wecom_bot_ws_url: server.url });
    expect(secret).toEqual([{ level: 'error', message: expect.stringMatching(/rejected the secret .*errcode 853000.*set wecom_bot_secret/) }]);
    const botId = await live({ wecom_bot_id: 'aibNOTMINE', wecom_bot_secret: BOT_SECRET, wecom_bot_ws_url: server.url });
    expect(botId).toEqual([{ level: 'error', message: expect.stringMatching(/rejected bot id "aibNOTMINE" \(errcode 93019.*set wecom_bot_id/) }]);
  });

  it('says the long connection cannot be opened when nothing answers', async () => {
    const server = await fakeWecom();
    const url = server.url;
    await server.close();
    servers.length = 0;
    const items = await live({ wecom_bot_id: BOT_ID, wecom_bot_secret: BOT_SECRET, wecom_bot_ws_url: url });
    expect(items).toEqual([{ level: 'error', message: expect.stringMatching(/cannot open the WeCom AI bot long connection .*ECONNREFUSED/) }]);
  });

  it('in webhook mode, sends the JSON-crypt URL verification to wecom_bot_public_url and checks the answer', async () => {
    const h = await startWebhookBot(answeringBot());
    const url = `http://127.0.0.1:${h.channel.port}/wecombot`;
    const webhook = { wecom_bot_mode: 'webhook', wecom_bot_token: WEBHOOK_TOKEN, wecom_bot_aes_key: WEBHOOK_AES_KEY };
    expect(await live({ ...webhook, wecom_bot_public_url: url })).toEqual([{ level: 'ok', message: expect.stringMatching(/wecom_bot_public_url .* answers the URL verification exactly/) }]);
    expect(await live({ ...webhook, wecom_bot_public_url: url.replace('/wecombot', '/bot') })).toEqual([
      { level: 'error', message: expect.stringMatching(/answered 404: wrong path; the channel serves \/wecombot \(wecom_bot_path\)/) },
    ]);
    expect(await live(webhook)).toEqual([{ level: 'warn', message: expect.stringMatching(/nothing checked live; set wecom_bot_public_url/) }]);
  });
});
