import { once } from 'node:events';
import { createServer, type OutgoingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { probeCallbackUrl } from './callback-url-probe.js';

// The "encryption" here is the identity, so the server below knows the plaintext from the
// query; the real crypt is exercised by the channels' live-check tests.
const answers: Record<string, (echo: string) => { status?: number; headers?: OutgoingHttpHeaders; body: string }> = {
  '/exact': (echo) => ({ body: echo }),
  '/newline': (echo) => ({ body: `${echo}\n` }),
  '/html': (echo) => ({ headers: { 'content-type': 'text/html' }, body: `<html><body>${echo}</body></html>` }),
  '/page': () => ({ headers: { 'content-type': 'text/html' }, body: '<html><body>Welcome to nginx!</body></html>' }),
  '/redirect': () => ({ status: 301, headers: { location: 'https://bot.example.com/wxcomapp' }, body: '' }),
  '/refused': () => ({ status: 401, body: 'msg_signature does not match' }),
};

let base = '';
const server = createServer((req, res) => {
  const url = new URL(req.url ?? '/', 'http://x');
  if (url.pathname === '/hang') return; // never answered
  const answer = answers[url.pathname]?.(url.searchParams.get('echostr') ?? '') ?? { status: 404, body: 'not found' };
  res.writeHead(answer.status ?? 200, answer.headers ?? { 'content-type': 'text/plain' });
  res.end(answer.body);
});
beforeAll(async () => {
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(resolve));
});

const probe = (path: string, signal = AbortSignal.timeout(5000)) =>
  probeCallbackUrl({
    url: `${base}${path}`,
    urlKey: 'public_url',
    path: '/exact',
    pathKey: 'the_path',
    signal,
    sign: (plaintext) => ({ echostr: plaintext, msgSignature: 'sig', timestamp: '1', nonce: '2' }),
  });

describe('probeCallbackUrl', () => {
  it('passes only on exactly the echostr, and names what else came back', async () => {
    expect(await probe('/exact')).toMatchObject({ level: 'ok', message: expect.stringMatching(/answers the URL verification exactly/) });
    expect((await probe('/newline')).message).toMatch(/extra characters around the echostr \(whitespace, a newline or a BOM\)/);
    expect((await probe('/html')).message).toMatch(/the answer was HTML-wrapped/);
    expect((await probe('/page')).message).toMatch(/answered an HTML page, not the echostr/);
    expect((await probe('/redirect')).message).toMatch(/HTTP 301, a redirect to https:\/\/bot\.example\.com\/wxcomapp: WeCom does not follow redirects/);
    expect((await probe('/refused')).message).toMatch(/HTTP 401 "msg_signature does not match": the channel at that URL refused/);
    expect((await probe('/hang', AbortSignal.timeout(200))).message).toMatch(/did not answer in time: not reachable from here/);
    expect((await probe('/elsewhere')).message).toMatch(/^public_url: answered 404: wrong path; the channel serves \/exact \(the_path\)/);
  });
});
