import { once } from 'node:events';
import { createServer as createHttpServer } from 'node:http';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { memoryLogger } from '@wecom-bot/core/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { SendmsgClient } from './sendmsg-client.js';
import { startSendmsgServer, TEST_AES_KEY, TEST_APPID, TEST_TOKEN } from './testing/index.js';

const bot = { token: TEST_TOKEN, aesKey: TEST_AES_KEY, appid: TEST_APPID };

async function freePort(): Promise<number> {
  const probe = createServer().listen(0, '127.0.0.1');
  await once(probe, 'listening');
  const { port } = probe.address() as AddressInfo;
  probe.close();
  await once(probe, 'close');
  return port;
}

describe('SendmsgClient', () => {
  const cleanups: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0)) await c();
  });

  it('a push whose connection was never made is tried again, and arrives once', async () => {
    const port = await freePort();
    const { logger } = memoryLogger();
    const client = new SendmsgClient({ apiBase: `http://127.0.0.1:${port}`, ...bot, logger, retryDelaysMs: [300, 300] });
    const sending = client.send({ appid: TEST_APPID, openid: 'u1', msg: '迟到的回答', channel: '0' });
    // The platform is unreachable for the first attempt and back before the second.
    await new Promise((resolve) => setTimeout(resolve, 100));
    const platform = await startSendmsgServer(bot, port);
    cleanups.push(platform.close);
    await sending;
    expect(platform.received).toHaveLength(1);
    expect(platform.received[0]!.xml).toContain('迟到的回答');
  });

  it('a 200 that is not the platform\'s JSON (a wrong api_base) is a failure, not a pushed reply', async () => {
    const page = createHttpServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<html>welcome</html>'));
    page.listen(0, '127.0.0.1');
    await once(page, 'listening');
    cleanups.push(async () => {
      page.close();
      await once(page, 'close');
    });
    const { logger } = memoryLogger();
    const client = new SendmsgClient({ apiBase: `http://127.0.0.1:${(page.address() as AddressInfo).port}`, ...bot, logger });
    await expect(client.send({ appid: TEST_APPID, openid: 'u1', msg: 'x', channel: '0' })).rejects.toThrow(/not the platform's JSON answer.*wechat_chatbot_api_base/);
  });

  it('gives up after its retries with an error that names the key, not the token', async () => {
    const port = await freePort();
    const { logger } = memoryLogger();
    const client = new SendmsgClient({ apiBase: `http://127.0.0.1:${port}`, ...bot, logger, retryDelaysMs: [10] });
    const error = await client.send({ appid: TEST_APPID, openid: 'u1', msg: 'x', channel: '0' }).catch((e: unknown) => e as Error);
    expect(error).toBeInstanceOf(Error);
    expect(error!.message).toContain('ECONNREFUSED');
    expect(error!.message).toContain('wechat_chatbot_api_base');
    expect(JSON.stringify(error, Object.getOwnPropertyNames(error))).not.toContain(TEST_TOKEN);
  });
});
