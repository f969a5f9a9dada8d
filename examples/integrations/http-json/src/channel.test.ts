import { afterEach, describe, expect, it } from 'vitest';
import { textReply, type Bot, type Context } from '@wecom-bot/core';
import { createTestApp } from '@wecom-bot/core/testing';
import integration from './index.js';
import { gate, post, SECRET, startChannelApp } from './testing.js';

let close: (() => Promise<void>) | undefined;
afterEach(async () => {
  await close?.();
  close = undefined;
});

async function start(raw: Record<string, unknown> = {}) {
  const started = await startChannelApp(raw);
  close = started.close;
  return started;
}

describe('http-json channel', () => {
  it('answers a message with the reply as JSON', async () => {
    const { url } = await start();
    const response = await post(url, { user: 'alice', text: '你好' });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await response.json()).toEqual({ text: '你好', replies: [{ type: 'TEXT', content: '你好' }] });
  });

  it('refuses what it cannot take, before the bot is asked: 401, 400, 404, 405, 413', async () => {
    const { app, url } = await start();
    const asked: string[] = [];
    app.useBot({ name: 'spy', reply: async (c: Context) => (asked.push(c.content), textReply('x')) });
    const cases: Array<[Promise<Response>, number, RegExp]> = [
      [post(url, { user: 'a', text: 'hi' }, { authorization: 'Bearer wrong-secret' }), 401, /wrong or missing secret/],
      [post(url, { user: 'a', text: 'hi' }, { authorization: '' }), 401, /Authorization: Bearer/],
      [post(url, '{"user": "a", "text": '), 400, /not JSON/],
      [post(url, '["a", "hi"]'), 400, /JSON object/],
      [post(url, { user: '', text: 'hi' }), 400, /"user"/],
      [post(url, { user: 'a', text: '  ' }), 400, /"text"/],
      [post(`${url}/other`, { user: 'a', text: 'hi' }), 404, /POST to \/chat/],
      [fetch(url, { headers: { authorization: `Bearer ${SECRET}` } }), 405, /use POST/],
      [post(url, { user: 'a', text: 'x'.repeat(70_000) }), 413, /larger than/],
    ];
    for (const [request, status, message] of cases) {
      const response = await request;
      expect(response.status).toBe(status);
      expect(((await response.json()) as { error: string }).error).toMatch(message);
    }
    expect(asked).toEqual([]);
    expect(app.logLines.join('\n')).toMatch(/bad request: wrong or missing secret/);
  });

  it('answers with every reply of the message, a plugin’s extra one included', async () => {
    const { app, url } = await start();
    await app.plugins.add({ name: 'footer', onDecorateReply: async (event) => void (await event.send(textReply('(answered by a bot)'))) });
    const response = await post(url, { user: 'alice', text: 'ping' });
    expect(await response.json()).toEqual({
      text: '(answered by a bot)\n\nping',
      replies: [
        { type: 'TEXT', content: '(answered by a bot)' },
        { type: 'TEXT', content: 'ping' },
      ],
    });
  });

  it('keeps one user’s messages in order while other users are answered in parallel', async () => {
    const { app, url } = await start();
    const first = gate();
    const started: string[] = [];
    const bot: Bot = {
      name: 'ordered',
      async reply(context) {
        started.push(context.content);
        if (context.content === 'a1') await first.opened; // alice's first question is slow
        return textReply(`answer to ${context.content}`);
      },
    };
    app.useBot(bot);
    const received = () => app.logLines.filter((l) => l.includes('message received')).length;
    const waitReceived = (n: number) => expect.poll(received, { timeout: 2000, interval: 5 }).toBe(n);

    const a1 = post(url, { user: 'alice', text: 'a1' });
    await expect.poll(() => started, { timeout: 2000, interval: 5 }).toEqual(['a1']);
    // Sent one after another, each while alice's earlier ones still wait: the pipeline queues them.
    const a2 = post(url, { user: 'alice', text: 'a2' });
    await waitReceived(2);
    const a3 = post(url, { user: 'alice', text: 'a3' });
    await waitReceived(3);
    const b1 = await post(url, { user: 'bob', text: 'b1' });
    expect(await b1.json()).toMatchObject({ text: 'answer to b1' });
    expect(started).toEqual(['a1', 'b1']); // bob was not held up by alice's slow question

    first.open();
    const texts = await Promise.all([a1, a2, a3].map(async (r) => ((await (await r).json()) as { text: string }).text));
    expect(texts).toEqual(['answer to a1', 'answer to a2', 'answer to a3']);
    expect(started).toEqual(['a1', 'b1', 'a2', 'a3']);
  });

  it('requires http_json_secret when it is the channel, and says why a short one is a problem', () => {
    expect(() => createTestApp({ channel_type: 'http_json' }, { integrations: [integration] })).toThrow(/http_json_secret is required for the http_json channel/);
    expect(() => createTestApp({ channel_type: 'http_json', http_json_secret: 'short' }, { integrations: [integration] })).toThrow(/http_json_secret is too short/);
  });

  it('says what to do when its port is taken', async () => {
    const { url } = await start();
    const port = Number(new URL(url).port);
    const second = createTestApp({ channel_type: 'http_json', http_json_host: '127.0.0.1', http_json_port: port, http_json_secret: SECRET }, { integrations: [integration] });
    await expect(second.channel.start(second.pipeline.handle)).rejects.toThrow(`port ${port} on 127.0.0.1 is in use: stop what holds it, or set http_json_port`);
  });
});
