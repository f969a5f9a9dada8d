import { createServer, type Server } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';
import { coreConfigSection } from '@wecom-bot/core';
import { MemorySessionStore, validateConfig } from '@wecom-bot/core/runtime';
import { createTestApp, memoryLogger } from '@wecom-bot/core/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { OpenAIClientProvider } from './client.js';
import { openaiConfigSection, readOpenAIConfig } from './config.js';
import { OpenAIBot } from './openai-bot.js';
import { openaiIntegration } from './integration.js';
import { message } from './testing/test-app.js';
import { startFakeOpenAI, type FakeOpenAI } from './testing/index.js';

let fake: FakeOpenAI | undefined;
let proxy: Server | undefined;
afterEach(async () => {
  await fake?.close();
  await new Promise((resolve) => (proxy ? proxy.close(resolve) : resolve(undefined)));
  fake = proxy = undefined;
});

describe('openaiIntegration', () => {
  it('offers bot and voice engine "openai" without needing a key until they are used', async () => {
    const app = createTestApp({ bot_type: 'echo' }, { integrations: [openaiIntegration] });
    expect(Object.keys(openaiIntegration.bots)).toEqual(['openai']);
    await app.pipeline.handle(message('plain echo'));
    expect(app.recorder.sent[0]!.reply).toEqual({ type: 'TEXT', content: 'plain echo' });
    // Building the engine makes no request and needs no key.
    expect(app.bridge.speechToText?.name).toBe('openai');
  });

  it('talks to a keyless compatible server (Ollama style) with a placeholder key', async () => {
    fake = await startFakeOpenAI();
    const app = createTestApp({ bot_type: 'openai', open_ai_api_base: fake.baseURL, model: 'qwen2.5:7b' }, { integrations: [openaiIntegration] });
    expect((await app.bridge.bot.reply(message('ping'))).content).toBe('echo: ping');
    expect(fake.requests[0]!.headers.authorization).toBe('Bearer no-key-configured');
  });
});

describe('sessions', () => {
  it('expire after expires_in_seconds of silence', async () => {
    fake = await startFakeOpenAI();
    let now = 1_000_000;
    const raw = { bot_type: 'openai', model: 'gpt-4o-mini', character_desc: 'sys', conversation_max_tokens: 1000, expires_in_seconds: 60, open_ai_api_base: fake.baseURL, open_ai_api_key: 'sk-x' };
    const config = readOpenAIConfig(validateConfig(raw, [coreConfigSection, openaiConfigSection]).config);
    const bot = new OpenAIBot({ config, clients: new OpenAIClientProvider(config), sessions: new MemorySessionStore(() => now), logger: memoryLogger().logger });
    await bot.reply(message('first'));
    now += 59_000;
    await bot.reply(message('second'));
    expect(fake.requestsTo('chat')[1]!.json.messages).toHaveLength(4);
    now += 61_000;
    await bot.reply(message('third'));
    expect(fake.requestsTo('chat')[2]!.json.messages.map((m: { content: string }) => m.content)).toEqual(['sys', 'third']);
  });
});

describe('proxy', () => {
  it('sends every request through the configured HTTP proxy', async () => {
    fake = await startFakeOpenAI();
    const tunnels: string[] = [];
    // A minimal CONNECT proxy, as squid or clash would answer.
    proxy = createServer();
    proxy.on('connect', (req, client: Socket, head: Buffer) => {
      tunnels.push(req.url ?? '');
      const [host, port] = (req.url ?? '').split(':');
      const upstream = connect(Number(port), host, () => {
        client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
        upstream.write(head);
        upstream.pipe(client).pipe(upstream);
      });
      upstream.on('error', () => client.destroy());
      client.on('error', () => upstream.destroy());
    });
    await new Promise<void>((resolve) => proxy!.listen(0, '127.0.0.1', resolve));
    const proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
    const app = createTestApp({ bot_type: 'openai', open_ai_api_key: 'sk-proxy-test', open_ai_api_base: fake.baseURL, proxy: proxyUrl }, { integrations: [openaiIntegration] });
    expect((await app.bridge.bot.reply(message('via proxy'))).content).toBe('echo: via proxy');
    expect(tunnels).toEqual([new URL(fake.baseURL).host]);
  });
});
