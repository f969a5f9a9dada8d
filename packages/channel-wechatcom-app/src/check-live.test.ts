import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { CheckItem } from '@wecom-bot/core';
import { validateConfig } from '@wecom-bot/core/runtime';
import { memoryLogger } from '@wecom-bot/core/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { checkWechatcomAppLive } from './check-live.js';
import { wechatcomAppConfigSection } from './config.js';
import { closeAll, start, type Harness } from './testing/channel-harness.js';
import { FakeWecomApi } from './testing/fake-wecom-api.js';
import { testWecomConfig } from './testing/test-config.js';

const servers: Server[] = [];
afterEach(async () => {
  await closeAll();
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

/** Runs the live check on the harness's config with `overrides`, as `check --live` would. */
async function live(h: Harness, overrides: Record<string, unknown> = {}): Promise<{ items: CheckItem[]; text: string }> {
  const { config } = validateConfig({ ...h.raw, ...overrides }, [wechatcomAppConfigSection], 'test config');
  const items = await checkWechatcomAppLive(config, { signal: AbortSignal.timeout(10_000), logger: memoryLogger().logger });
  const text = items.map((i) => `${i.level} ${i.message}`).join('\n');
  // Whatever the outcome, no secret and no access token is in a line.
  for (const secret of [h.raw.wechatcomapp_secret, h.raw.wechatcomapp_token, h.raw.wechatcomapp_aes_key, ...h.api.issuedTokens]) expect(text).not.toContain(String(secret));
  return { items, text };
}

const errors = (items: CheckItem[]) => items.filter((i) => i.level === 'error').map((i) => i.message);

/** A loopback HTTP server answering every request with `answer`; its base URL. */
async function serve(answer: (url: URL) => Promise<{ status: number; type: string; body: string }>): Promise<string> {
  const server = createServer((req, res) => {
    void answer(new URL(req.url ?? '/', 'http://x')).then(({ status, type, body }) => {
      res.writeHead(status, { 'content-type': type });
      res.end(body);
    });
  });
  servers.push(server);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe('check --live for the self-built app', () => {
  it('passes against a real running channel: credentials, trusted IP, agent id and the callback URL', async () => {
    const h = await start();
    const { items } = await live(h, { wechatcomapp_public_url: h.url });
    expect(errors(items)).toEqual([]);
    expect(items.map((i) => i.message).join('\n')).toMatch(/accepted wechatcom_corp_id and wechatcomapp_secret[\s\S]*app "Test App" \(agent id 1000002\)[\s\S]*answers the URL verification exactly/);
    // A read only: nothing was sent to anyone.
    expect(h.api.sent).toEqual([]);
    expect(h.api.callsTo('agent/get')).toHaveLength(1);
  });

  it('says which credential is wrong and where to find the right one', async () => {
    const h = await start();
    const corp = await live(h, { wechatcom_corp_id: 'wwNotMyCorp0000000' });
    expect(errors(corp.items)).toEqual([expect.stringMatching(/wechatcom_corp_id "wwNotMyCorp0000000" \(gettoken errcode 40013\).*My Company/)]);
    const secret = await live(h, { wechatcomapp_secret: 'AnotherAppsSecret-0123456789' });
    expect(errors(secret.items)).toEqual([expect.stringMatching(/refused wechatcomapp_secret .*errcode 40001.*App Management .* Secret/)]);
    expect(secret.text).not.toContain('AnotherAppsSecret');
  });

  it("names the egress IP to add to the app's trusted IPs on 60020", async () => {
    const h = await start();
    h.api.refuseFromIp('203.0.113.7');
    const { items } = await live(h);
    expect(errors(items)).toEqual([expect.stringMatching(/errcode 60020.*add 203\.0\.113\.7 to the app's trusted IPs \(企业可信IP\)/)]);
    expect(items[0]).toMatchObject({ level: 'ok', message: expect.stringMatching(/gettoken/) });
  });

  it('names a wrong agent id', async () => {
    const api = await FakeWecomApi.start({ corpId: String(testWecomConfig('').wechatcom_corp_id), secret: String(testWecomConfig('').wechatcomapp_secret), agentId: '1000005' });
    const { config } = validateConfig(testWecomConfig(api.baseUrl), [wechatcomAppConfigSection], 'test config');
    const items = await checkWechatcomAppLive(config, { signal: AbortSignal.timeout(10_000), logger: memoryLogger().logger });
    await api.close();
    expect(errors(items)).toEqual([expect.stringMatching(/wechatcomapp_agent_id 1000002 is not the AgentId/)]);
  });

  it('names an unreachable WeCom API and a callback URL nothing listens on', async () => {
    const h = await start();
    const closed = await FakeWecomApi.start({ corpId: 'x', secret: 'y' });
    await closed.close();
    const { items } = await live(h, { wechatcomapp_api_base: closed.baseUrl, wechatcomapp_public_url: `${closed.baseUrl}/wxcomapp` });
    expect(errors(items)).toEqual([
      expect.stringMatching(/WeCom gettoken: .* refused the connection.*wechatcomapp_api_base/),
      expect.stringMatching(/^wechatcomapp_public_url: .* refused the connection/),
    ]);
  });

  it("fails naming a proxy that turns '+' into ' '", async () => {
    const h = await start();
    // Decodes the query (so a "+" reaches the channel as a space) and rewrites "+" in the answer too.
    const proxy = await serve(async (url) => {
      const response = await fetch(`${h.url}?${url.searchParams.toString().replaceAll('%2B', '+')}`);
      return { status: response.status, type: 'text/plain', body: (await response.text()).replaceAll('+', ' ') };
    });
    const { items } = await live(h, { wechatcomapp_public_url: `${proxy}/wxcomapp` });
    expect(errors(items)).toEqual([expect.stringMatching(/the answer had a space where a '\+' was/)]);
  });

  it('fails naming an answer wrapped in JSON, and a wrong path', async () => {
    const h = await start();
    const wrapper = await serve(async (url) => {
      const response = await fetch(`${h.url}${url.search}`);
      return { status: 200, type: 'application/json', body: JSON.stringify({ code: 0, data: await response.text() }) };
    });
    const wrapped = await live(h, { wechatcomapp_public_url: `${wrapper}/wxcomapp` });
    expect(errors(wrapped.items)).toEqual([expect.stringMatching(/the answer was JSON-wrapped/)]);
    const wrongPath = await live(h, { wechatcomapp_public_url: h.url.replace('/wxcomapp', '/wecomapp') });
    expect(errors(wrongPath.items)).toEqual([expect.stringMatching(/answered 404: wrong path; the channel serves \/wxcomapp \(wechatcomapp_path\)/)]);
  });

  it('fails when the channel behind the URL runs with another AES key', async () => {
    const h = await start();
    const { items } = await live(h, { wechatcomapp_public_url: h.url, wechatcomapp_aes_key: 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG' });
    expect(errors(items)).toEqual([expect.stringMatching(/answered HTTP 4\d\d .*token and AES key/)]);
  });

  it('warns that the callback URL went unchecked when public_url is not set', async () => {
    const h = await start();
    const { items } = await live(h);
    expect(items.at(-1)).toMatchObject({ level: 'warn', message: expect.stringMatching(/set wechatcomapp_public_url/) });
  });
});
