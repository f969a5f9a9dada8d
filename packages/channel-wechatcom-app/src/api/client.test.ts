import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SecretRegistry } from '@wecom-bot/core';
import { memoryLogger } from '@wecom-bot/core/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeWecomApi } from '../testing/fake-wecom-api.js';
import { API_CONCURRENCY, WecomApiClient } from './client.js';
import { WecomApiError } from './errors.js';

const CORP = 'wwClientTestCorp01';
const SECRET = 'ClientTestSecret-7hQ2mZ9xL4kP0vB';

let api: FakeWecomApi;
let lines: string[];
let client: WecomApiClient;

beforeEach(async () => {
  api = await FakeWecomApi.start({ corpId: CORP, secret: SECRET });
  const secrets = new SecretRegistry();
  const log = memoryLogger(secrets);
  lines = log.lines;
  client = new WecomApiClient({ baseUrl: api.baseUrl, corpId: CORP, secret: SECRET, agentId: '1000002', logger: log.logger, secrets, retryBaseDelayMs: 5 });
});

afterEach(async () => {
  await api.close();
});

function assertNoSecretsLogged() {
  const all = lines.join('\n');
  expect(all).not.toContain(SECRET);
  for (const token of api.issuedTokens) expect(all).not.toContain(token);
}

describe('WecomApiClient against a local WeCom API', () => {
  it('gets a token with corpid and corpsecret once, and reuses it for every send', async () => {
    await Promise.all([client.sendText('zhangsan', 'one'), client.sendText('lisi', 'two'), client.sendMarkdown('zhangsan', '**three**')]);
    const tokenCalls = api.callsTo('gettoken');
    expect(tokenCalls).toHaveLength(1);
    expect(tokenCalls[0]?.query).toEqual({ corpid: CORP, corpsecret: SECRET });
    const sends = api.callsTo('message/send');
    expect(sends.map((c) => c.query.access_token)).toEqual(Array(3).fill(api.issuedTokens[0]));
    expect(api.sent).toContainEqual({ touser: 'zhangsan', agentid: 1000002, msgtype: 'text', text: { content: 'one' } });
    expect(api.sent).toContainEqual({ touser: 'zhangsan', agentid: 1000002, msgtype: 'markdown', markdown: { content: '**three**' } });
    assertNoSecretsLogged();
  });

  it('sends a burst of replies over a bounded set of kept-alive connections, every one delivered', async () => {
    const members = Array.from({ length: 4 * API_CONCURRENCY }, (_, i) => `member${i}`);
    await Promise.all(members.map((m) => client.sendText(m, `hello ${m}`)));
    expect(api.sent.map((m) => String(m.touser)).sort()).toEqual([...members].sort());
    // Without the bound, one connection per send (4 × API_CONCURRENCY). A few more than the bound:
    // a finished request frees its connection a moment after the next one is started.
    expect(api.connectionsOpened).toBeLessThan(2 * API_CONCURRENCY);
  });

  it('sends image, voice, file, video and news bodies as WeCom expects', async () => {
    await client.sendMedia('u', 'image', 'MI');
    await client.sendMedia('u', 'voice', 'MV');
    await client.sendMedia('u', 'file', 'MF');
    await client.sendVideo('u', 'MP4', 'clip', 'desc');
    await client.sendNews('u', [{ title: 'T', url: 'https://example.com', picurl: 'https://example.com/p.png' }]);
    expect(api.sent.map((b) => [b.msgtype, b[b.msgtype as string]])).toEqual([
      ['image', { media_id: 'MI' }],
      ['voice', { media_id: 'MV' }],
      ['file', { media_id: 'MF' }],
      ['video', { media_id: 'MP4', title: 'clip', description: 'desc' }],
      ['news', { articles: [{ title: 'T', url: 'https://example.com', picurl: 'https://example.com/p.png' }] }],
    ]);
  });

  it('after 42001 fetches a new token once and retries; concurrent refusals cost one gettoken', async () => {
    await client.sendText('u', 'before');
    api.expireTokens();
    await Promise.all([client.sendText('u', 'a'), client.sendText('u', 'b'), client.sendText('u', 'c')]);
    expect(api.callsTo('gettoken')).toHaveLength(2);
    expect(api.callsTo('message/send').filter((c) => c.answered === 42001)).toHaveLength(3);
    expect(api.sent.map((b) => (b.text as { content: string }).content).sort()).toEqual(['a', 'b', 'before', 'c']);
    expect(api.callsTo('message/send').at(-1)?.query.access_token).toBe(api.issuedTokens[1]);
    assertNoSecretsLogged();
  });

  it('gives up after one refresh when the token is refused again (no loop)', async () => {
    api.failNext('message/send', { errcode: 40014 }, { errcode: 40014 }, { errcode: 40014 });
    const error = await client.sendText('u', 'x').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WecomApiError);
    expect((error as WecomApiError).errcode).toBe(40014);
    expect(api.callsTo('message/send')).toHaveLength(2);
    expect(api.callsTo('gettoken')).toHaveLength(2);
  });

  it('backs off and retries busy (-1), rate limits (45009, 45033) and 5xx, then succeeds', async () => {
    api.failNext('message/send', { errcode: -1 }, { errcode: 45009 }, { status: 502 });
    await client.sendText('u', 'eventually');
    expect(api.callsTo('message/send').map((c) => c.answered)).toEqual([-1, 45009, 502, 0]);
    expect(api.sent).toHaveLength(1);
    expect(lines.filter((l) => l.includes('retrying'))).toHaveLength(3);
  });

  it('stops after a bounded number of retries and surfaces the errcode', async () => {
    api.failNext('message/send', ...Array.from({ length: 10 }, () => ({ errcode: 45033 })));
    const error = (await client.sendText('u', 'x').catch((e: unknown) => e)) as WecomApiError;
    expect(error.errcode).toBe(45033);
    expect(api.callsTo('message/send')).toHaveLength(4);
  });

  it('does not retry errors a retry cannot fix (81013), and names the cause', async () => {
    api.failNext('message/send', { errcode: 81013, errmsg: 'user & party & tag all invalid' });
    const error = (await client.sendText('ghost', 'x').catch((e: unknown) => e)) as WecomApiError;
    expect(error.errcode).toBe(81013);
    expect(error.message).toMatch(/visible range/);
    expect(api.callsTo('message/send')).toHaveLength(1);
  });

  it('logs the IP to trust on 60020', async () => {
    api.failNext('message/send', { errcode: 60020, errmsg: 'not allow to access from your ip, hint: [1700000000_1_abc], from ip: 203.0.113.7, more info at https://open.work.weixin.qq.com/devtool/query?e=60020' });
    const error = (await client.sendText('u', 'x').catch((e: unknown) => e)) as WecomApiError;
    expect(error.errcode).toBe(60020);
    const line = lines.find((l) => l.includes('60020'));
    expect(line).toContain('203.0.113.7');
    expect(line).toMatch(/Trusted IPs/);
  });

  it('reports a wrong secret (40001) from gettoken with what to check, without printing the secret', async () => {
    const log = memoryLogger();
    const wrong = new WecomApiClient({ baseUrl: api.baseUrl, corpId: CORP, secret: 'WrongSecret-123456789', agentId: '1', logger: log.logger, secrets: new SecretRegistry() });
    const error = (await wrong.sendText('u', 'x').catch((e: unknown) => e)) as WecomApiError;
    expect(error.errcode).toBe(40001);
    expect(error.message).toMatch(/wechatcomapp_secret/);
    expect(error.message).not.toContain('WrongSecret');
  });

  it('uploads media as multipart field "media" with its filename and type, and returns the media id', async () => {
    const amr = Buffer.concat([Buffer.from('#!AMR\n'), Buffer.alloc(300, 7)]);
    const id = await client.uploadMedia('voice', { data: amr, filename: 'reply.amr', mimeType: 'audio/amr' });
    expect(api.uploads).toEqual([{ mediaId: id, type: 'voice', filename: 'reply.amr', contentType: 'audio/amr', data: amr }]);
    await expect(client.uploadMedia('voice', { data: Buffer.alloc(2 * 1024 * 1024 + 1), filename: 'big.amr' })).rejects.toThrow(/limit/);
  });

  it('downloads media bytes with media/get, and turns a JSON error body into an errcode', async () => {
    const bytes = Buffer.from('#!AMR\n\x01\x02\x03', 'binary');
    const id = api.addMedia(bytes, 'audio/amr', 'v.amr');
    const got = await client.getMedia(id);
    expect(got).toMatchObject({ contentType: 'audio/amr', filename: 'v.amr' });
    expect(got.data.equals(bytes)).toBe(true);
    await expect(client.getMedia('nope')).rejects.toMatchObject({ errcode: 40007 });
  });

  it('turns an unreachable API into a connect error that names no query string', async () => {
    await api.close();
    const down = new WecomApiClient({ baseUrl: api.baseUrl, corpId: CORP, secret: SECRET, agentId: '1', logger: memoryLogger().logger, retryBaseDelayMs: 1, maxRetries: 1 });
    const error = (await down.sendText('u', 'x').catch((e: unknown) => e)) as WecomApiError;
    expect(error.failure).toBe('connect');
    expect(error.message).toMatch(/ECONNREFUSED/);
    expect(error.message).not.toContain(SECRET);
    api = await FakeWecomApi.start({ corpId: CORP, secret: SECRET });
  });

  it('retries a send whose connection was refused (it never left), and delivers it once the API is back', async () => {
    const log = memoryLogger();
    const patient = new WecomApiClient({ baseUrl: api.baseUrl, corpId: CORP, secret: SECRET, agentId: '1', logger: log.logger, retryBaseDelayMs: 100 });
    await patient.sendText('u', 'before');
    const port = Number(new URL(api.baseUrl).port);
    await api.close();
    // Let the client notice its keep-alive socket closed, so the next attempt connects anew.
    await new Promise((resolve) => setTimeout(resolve, 20));
    const sending = patient.sendText('u', 'after the outage');
    await new Promise((resolve) => setTimeout(resolve, 20));
    api = await FakeWecomApi.start({ corpId: CORP, secret: SECRET, port });
    await sending;
    expect(api.sent.map((b) => (b.text as { content: string }).content)).toEqual(['after the outage']);
    expect(log.lines.some((l) => l.includes('retrying'))).toBe(true);
  });

  it('does not repeat a send whose answer broke off (WeCom may have sent it), and says so as a network error', async () => {
    const broken = createServer((req, res) => {
      req.resume();
      if (req.url?.startsWith('/cgi-bin/gettoken')) {
        res.writeHead(200, { 'content-type': 'application/json' });
        return res.end(JSON.stringify({ errcode: 0, access_token: 'BROKEN_TOKEN_123456', expires_in: 7200 }));
      }
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '100' });
      res.write('{"errcode":0,');
      setTimeout(() => res.destroy(), 10);
    });
    await new Promise<void>((resolve) => broken.listen(0, '127.0.0.1', resolve));
    try {
      const base = `http://127.0.0.1:${(broken.address() as AddressInfo).port}`;
      const c = new WecomApiClient({ baseUrl: base, corpId: CORP, secret: SECRET, agentId: '1', logger: memoryLogger().logger, retryBaseDelayMs: 1 });
      let sends = 0;
      broken.on('request', (req) => void (req.url?.includes('message/send') && sends++));
      const error = await c.sendText('u', 'x').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(WecomApiError);
      expect(error).toMatchObject({ api: 'message/send', failure: 'network' });
      expect((error as Error).message).not.toContain('BROKEN_TOKEN');
      expect(sends).toBe(1);
    } finally {
      broken.close();
    }
  });
});
