import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { AppConfig } from '@wecom-bot/core';
import { validateConfig } from '@wecom-bot/core/runtime';
import { memoryLogger } from '@wecom-bot/core/testing';
import { describe, expect, it } from 'vitest';
import { checkWechatChatbotLive } from './check-live.js';
import { wechatChatbotConfigSection } from './config.js';

const live = (raw: AppConfig) => {
  const { config } = validateConfig({ channel_type: 'wechat_chatbot', wechat_chatbot_token: 'ChatbotToken123', ...raw }, [wechatChatbotConfigSection], 'test config');
  return checkWechatChatbotLive(config, { signal: AbortSignal.timeout(10_000), logger: memoryLogger().logger });
};

describe('check --live for the dialogue platform', () => {
  it('says the credentials are not checked live, and sends nothing', async () => {
    expect(await live({})).toEqual([{ level: 'warn', message: expect.stringMatching(/not checked live: the platform has no API that reads without sending/) }]);
  });

  it('with customer service configured, checks the platform answers, and names an unreachable one', async () => {
    const requests: string[] = [];
    const server = createServer((req, res) => {
      requests.push(`${req.method} ${req.url}`);
      res.writeHead(404).end();
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const reachable = await live({ wechat_chatbot_appid: 'wxAPPID0001', wechat_chatbot_api_base: base });
    expect(reachable[1]).toEqual({ level: 'ok', message: expect.stringMatching(/answers from this server \(HTTP 404\)/) });
    // Never the sendmsg API: that would reach a user.
    expect(requests).toEqual(['GET /']);
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    // A port nothing listens on (not the one just used: a pooled connection would say "closed").
    const gone = createServer().listen(0, '127.0.0.1');
    await once(gone, 'listening');
    const goneBase = `http://127.0.0.1:${(gone.address() as AddressInfo).port}`;
    await new Promise((resolve) => gone.close(resolve));
    const unreachable = await live({ wechat_chatbot_appid: 'wxAPPID0001', wechat_chatbot_api_base: goneBase });
    expect(unreachable[1]).toEqual({ level: 'error', message: expect.stringMatching(/refused the connection.*mode 3.*wechat_chatbot_api_base/) });
  });
});
