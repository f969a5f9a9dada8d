import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { buffer } from 'node:stream/consumers';
import { afterEach, describe, expect, it } from 'vitest';
import { completeChat } from '../chat.js';
import { describeOpenAIError } from '../errors.js';
import { isRetryable } from '../retry.js';
import { openAIError, startFakeOpenAI, type FakeOpenAI } from '../testing/index.js';
import { ApiConnectionError, ApiStatusError } from './api-errors.js';
import { OpenAIApi } from './api.js';

const KEY = 'sk-api-test-SECRET-42';
const ask = { model: 'gpt-4o-mini', messages: [{ role: 'user' as const, content: 'hi' }], temperature: 1, topP: 1, stream: false };
const where = (api: OpenAIApi) => ({ baseURL: api.baseURL, model: ask.model });
const chunk = (content: string) => `data: ${JSON.stringify({ choices: [{ index: 0, delta: { content }, finish_reason: null }] })}\n\n`;
let fake: FakeOpenAI | undefined;
let server: Server | undefined;
afterEach(async () => {
  await fake?.close();
  server?.closeAllConnections();
  await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
  fake = server = undefined;
});

/** A loopback server answering with `handle` (the request's JSON body read first); counts its connections. */
async function rawServer(handle: (json: { stream?: boolean }, res: ServerResponse) => void): Promise<{ api: OpenAIApi; connections: () => number }> {
  let connections = 0;
  server = createServer((req: IncomingMessage, res) => void buffer(req).then((body) => handle(JSON.parse(body.toString('utf8')), res)));
  server.on('connection', () => (connections += 1));
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return { api: new OpenAIApi(`http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`, KEY, ''), connections: () => connections };
}

describe('the direct chat call', () => {
  it('keeps one connection for plain and streamed answers in turn (a stream is read past its [DONE])', async () => {
    const { api, connections } = await rawServer((json, res) => {
      if (!json.stream) return res.writeHead(200, { 'content-type': 'application/json' }).end('{"choices":[{"message":{"content":"plain"}}]}');
      res.writeHead(200, { 'content-type': 'text/event-stream' }).end(`${chunk('stre')}${chunk('am')}data: [DONE]\n\n`);
    });
    for (const stream of [false, true, false, true, false]) {
      expect((await completeChat(api, { ...ask, stream }, AbortSignal.timeout(5000))).content).toBe(stream ? 'stream' : 'plain');
    }
    expect(connections()).toBe(1);
  });

  it('turns an error answer into a status error worded as the SDK does, with its code and Retry-After', async () => {
    fake = await startFakeOpenAI({ apiKey: KEY });
    fake.setResponse('chat', openAIError(429, 'Rate limit reached for requests', 'requests', 'rate_limit_exceeded', { 'retry-after': '7' }));
    const api = new OpenAIApi(fake.baseURL, KEY, '');
    const error = await completeChat(api, ask, AbortSignal.timeout(5000)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiStatusError);
    expect(error).toMatchObject({ status: 429, code: 'rate_limit_exceeded', type: 'requests', message: '429 Rate limit reached for requests' });
    expect((error as ApiStatusError).header('retry-after')).toBe('7');
    expect(isRetryable(error)).toBe(true);
    expect(describeOpenAIError(error, where(api)).user).toBe('请求太频繁，请稍后再试。');
    // The key went in the header, as the SDK sends it.
    expect(fake.requests[0]!.headers.authorization).toBe(`Bearer ${KEY}`);
  });

  it('words an error answer without an OpenAI body by its text, cut short', async () => {
    const { api } = await rawServer((_, res) => res.writeHead(502, { 'content-type': 'text/html' }).end(`<html>${'x'.repeat(1000)}</html>`));
    const error = await completeChat(api, ask, AbortSignal.timeout(5000)).catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 502, code: undefined });
    expect((error as Error).message).toMatch(/^502 <html>x+$/);
    expect((error as Error).message.length).toBeLessThan(320);
    expect(describeOpenAIError(error, where(api)).user).toBe('模型服务暂时不可用，请稍后再试。');
  });

  it('says a refused connection is one (retryable), with the socket error, and never the key', async () => {
    const api = new OpenAIApi('http://127.0.0.1:1/v1', KEY, '');
    const error = await completeChat(api, ask, AbortSignal.timeout(5000)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiConnectionError);
    expect(isRetryable(error)).toBe(true);
    const described = describeOpenAIError(error, where(api));
    expect(described.user).toBe('暂时连不上模型服务，请稍后再试。');
    expect(described.log).toContain('ECONNREFUSED');
    expect(described.log).not.toContain(KEY);
  });

  it('treats an answer cut off mid-stream as a lost connection, to be retried', async () => {
    const { api } = await rawServer((_, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write(chunk('par'), () => setTimeout(() => res.destroy(), 20));
    });
    const seen: string[] = [];
    const error = await completeChat(api, { ...ask, onText: (text) => seen.push(text) }, AbortSignal.timeout(5000)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiConnectionError);
    expect(isRetryable(error)).toBe(true);
    expect(seen).toEqual(['par']);
  });

  it('throws the deadline, not a lost connection, when the signal cuts the answer', async () => {
    const { api } = await rawServer((_, res) => res.writeHead(200, { 'content-type': 'text/event-stream' }).write(chunk('slow')));
    const error = await completeChat(api, { ...ask, stream: true }, AbortSignal.timeout(200)).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'TimeoutError' });
  });

  it('fails on an error sent inside the stream, and takes a JSON answer from a server that ignores `stream`', async () => {
    const { api } = await rawServer((json, res) => {
      if (json.stream && (json as { model?: string }).model === 'plain') return res.writeHead(200, { 'content-type': 'application/json' }).end('{"choices":[{"message":{"content":"as JSON"}}]}');
      res.writeHead(200, { 'content-type': 'text/event-stream' }).end(`${chunk('a')}data: {"error":{"message":"model overloaded mid-answer"}}\n\n`);
    });
    const error = await completeChat(api, { ...ask, stream: true }, AbortSignal.timeout(5000)).catch((e: unknown) => e);
    expect(describeOpenAIError(error, where(api)).log).toContain('model overloaded mid-answer');
    expect(isRetryable(error)).toBe(false);
    const seen: string[] = [];
    const answer = await completeChat(api, { ...ask, model: 'plain', onText: (text) => seen.push(text) }, AbortSignal.timeout(5000));
    expect(answer.content).toBe('as JSON');
    expect(seen).toEqual(['as JSON']);
  });
});
