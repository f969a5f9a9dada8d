import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { memoryLogger } from '@wecom-bot/core/testing';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { maskUrl } from './log-safe.js';
import { markdownBody, postResponseUrl, ResponseUrlError } from './response-url.js';

const CODE = 'RespCodeSecret123456';
type Handler = (req: IncomingMessage, body: string, res: ServerResponse) => void;
const received: Array<{ method?: string; url?: string; contentType?: string; body: string }> = [];
let handler: Handler;
let server: Server;
let base: string;
const { logger, lines } = memoryLogger();

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      received.push({ method: req.method, url: req.url, contentType: req.headers['content-type'], body });
      handler(req, body, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

beforeEach(() => {
  received.length = 0;
  lines.length = 0;
  handler = (_req, _body, res) => res.setHeader('content-type', 'application/json').end('{"errcode":0,"errmsg":"ok"}');
});

const url = () => `${base}/cgi-bin/aibot/response?response_code=${CODE}`;

async function failure(promise: Promise<unknown>): Promise<ResponseUrlError> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(ResponseUrlError);
  const e = error as ResponseUrlError;
  // The one-time code is a bearer secret: not in the error, not in the log.
  expect(`${e.message} ${JSON.stringify(e.details)}`).not.toContain(CODE);
  expect(lines.join('\n')).not.toContain(CODE);
  return e;
}

describe('postResponseUrl', () => {
  it('sends one plain JSON POST of the markdown body', async () => {
    await postResponseUrl(url(), markdownBody('**答案**\n- 一\n- 二'), { logger });
    expect(received).toEqual([
      { method: 'POST', url: `/cgi-bin/aibot/response?response_code=${CODE}`, contentType: 'application/json; charset=utf-8', body: '{"msgtype":"markdown","markdown":{"content":"**答案**\\n- 一\\n- 二"}}' },
    ]);
    expect(lines.join('\n')).not.toContain(CODE);
  });

  it('a non-zero errcode is an error carrying it, logged once with the URL masked', async () => {
    handler = (_req, _body, res) => res.end('{"errcode":600001,"errmsg":"invalid response_code"}');
    const e = await failure(postResponseUrl(url(), markdownBody('x'), { logger }));
    expect(e.details).toMatchObject({ status: 200, errcode: 600001, errmsg: 'invalid response_code' });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('/cgi-bin/aibot/response?***');
    expect(received).toHaveLength(1);
  });

  it('an HTTP error is reported with its status, and not retried', async () => {
    handler = (_req, _body, res) => res.writeHead(502).end('bad gateway');
    const e = await failure(postResponseUrl(url(), markdownBody('x'), { logger }));
    expect(e.details.status).toBe(502);
    expect(received).toHaveLength(1);
  });

  it('gives up after timeoutMs', async () => {
    handler = () => undefined;
    const started = Date.now();
    const e = await failure(postResponseUrl(url(), markdownBody('x'), { logger, timeoutMs: 200 }));
    expect(e.details.reason).toBe('TimeoutError');
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('does not follow a redirect (it would carry the code elsewhere)', async () => {
    handler = (_req, _body, res) => res.writeHead(302, { location: `${base}/elsewhere?response_code=${CODE}` }).end();
    await failure(postResponseUrl(url(), markdownBody('x'), { logger }));
    expect(received.map((r) => r.url?.split('?')[0])).toEqual(['/cgi-bin/aibot/response']);
  });

  it('refuses a URL that is not http(s), and reports a refused connection by its code', async () => {
    expect((await failure(postResponseUrl(`ftp://x/y?response_code=${CODE}`, markdownBody('x'), { logger }))).details.reason).toBe('bad-url');
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const e = await failure(postResponseUrl(`http://127.0.0.1:${port}/r?response_code=${CODE}`, markdownBody('x'), { logger }));
    expect(e.details.reason).toBe('ECONNREFUSED');
  });
});

describe('maskUrl', () => {
  it.each([
    ['https://qyapi.weixin.qq.com/cgi-bin/aibot/response?response_code=abc', 'https://qyapi.weixin.qq.com/cgi-bin/aibot/response?***'],
    ['https://user:pw@host.example/p#frag', 'https://host.example/p'],
    ['http://127.0.0.1:8080/x', 'http://127.0.0.1:8080/x'],
    ['not a url ?response_code=abc', '<invalid URL>'],
  ])('%s -> %s', (input, masked) => {
    expect(maskUrl(input)).toBe(masked);
  });
});
