import { once } from 'node:events';
import { createServer, request, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { answer } from './answer.js';

const servers: ReturnType<typeof createServer>[] = [];
afterEach(() => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    server.close();
  }
});

/** A server that holds its responses until `count` requests are in, then hands them over. */
async function holdingServer(count: number) {
  const held: ServerResponse[] = [];
  let release!: (responses: ServerResponse[]) => void;
  const all = new Promise<ServerResponse[]>((resolve) => (release = resolve));
  const server = createServer((_req, res) => {
    held.push(res);
    if (held.length === count) release(held);
  });
  servers.push(server);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { port: (server.address() as AddressInfo).port, all };
}

function get(port: number, path: string): Promise<{ status: number; type: string | undefined; length: string | undefined; body: string }> {
  return new Promise((resolve, reject) => {
    request({ port, host: '127.0.0.1', path }, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, type: res.headers['content-type'], length: res.headers['content-length'], body }));
    })
      .on('error', reject)
      .end();
  });
}

describe('answer', () => {
  it('writes the answers made ready in one turn at its end, each with its status, type and length', async () => {
    const { port, all } = await holdingServer(3);
    const replies = [get(port, '/a'), get(port, '/b'), get(port, '/c')];
    const responses = await all;
    answer(responses[0]!, 200, undefined, '');
    answer(responses[1]!, 200, 'application/xml; charset=utf-8', '<xml>你好</xml>');
    answer(responses[2]!, 400, 'text/plain; charset=utf-8', 'missing query parameter(s): nonce');
    // Nothing is written before the turn ends: the three go out together.
    expect(responses.map((r) => r.headersSent)).toEqual([false, false, false]);
    await new Promise((resolve) => setImmediate(resolve));
    expect(responses.map((r) => r.headersSent)).toEqual([true, true, true]);
    expect(await Promise.all(replies)).toEqual([
      { status: 200, type: undefined, length: '0', body: '' },
      { status: 200, type: 'application/xml; charset=utf-8', length: String(Buffer.byteLength('<xml>你好</xml>')), body: '<xml>你好</xml>' },
      { status: 400, type: 'text/plain; charset=utf-8', length: '33', body: 'missing query parameter(s): nonce' },
    ]);
  });

  it('writes the others when the connection of one is gone', async () => {
    const { port, all } = await holdingServer(2);
    const gone = get(port, '/gone').catch((error: NodeJS.ErrnoException) => error.code);
    const kept = get(port, '/kept');
    const [first, second] = await all;
    first!.socket?.destroy();
    answer(first!, 200, undefined, '');
    answer(second!, 200, 'text/plain; charset=utf-8', 'ok');
    expect(await kept).toEqual({ status: 200, type: 'text/plain; charset=utf-8', length: '2', body: 'ok' });
    expect(await gone).toBe('ECONNRESET');
  });
});
