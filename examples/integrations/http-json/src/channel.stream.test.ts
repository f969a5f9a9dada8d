import { afterEach, describe, expect, it } from 'vitest';
import { textReply, type Bot } from '@wecom-bot/core';
import { gate, post, readEvents, startChannelApp } from './testing.js';

const STREAM = { accept: 'text/event-stream' };

let close: (() => Promise<void>) | undefined;
afterEach(async () => {
  await close?.();
  close = undefined;
});

describe('http-json channel, server-sent events', () => {
  it('streams the answer as the bot writes it, then the reply and done', async () => {
    const { app, url } = await startChannelApp();
    close = () => app.channel.stop();
    const rest = gate();
    const bot: Bot = {
      name: 'writer',
      reply: async () => textReply('unused: the window streams'),
      async streamReply(_context, onText) {
        onText('Hello');
        await rest.opened; // the rest is written only once the client has seen the first words
        onText('Hello, world');
        return textReply('Hello, world!');
      },
    };
    app.useBot(bot);
    const response = await post(url, { user: 'alice', text: 'hi' }, STREAM);
    expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const events = await readEvents(response, (event) => {
      if (event.event === 'text') rest.open();
    });
    expect(events).toEqual([
      { event: 'text', data: { text: 'Hello' } },
      { event: 'text', data: { text: 'Hello, world' } },
      { event: 'reply', data: { type: 'TEXT', content: 'Hello, world!' } },
      { event: 'done', data: {} },
    ]);
  });

  it('sends the reply and done when the bot cannot stream (echo)', async () => {
    const { app, url } = await startChannelApp();
    close = () => app.channel.stop();
    const events = await readEvents(await post(url, { user: 'alice', text: 'ping' }, STREAM));
    expect(events).toEqual([
      { event: 'reply', data: { type: 'TEXT', content: 'ping' } },
      { event: 'done', data: {} },
    ]);
  });

  it('gives the error reply when the bot fails, as every channel does', async () => {
    const { app, url } = await startChannelApp({ error_reply: 'sorry, try again later' });
    close = () => app.channel.stop();
    app.useBot({ name: 'broken', reply: async () => Promise.reject(new Error('model down')) });
    const events = await readEvents(await post(url, { user: 'alice', text: 'hi' }, STREAM));
    expect(events).toEqual([
      { event: 'reply', data: { type: 'ERROR', content: 'sorry, try again later' } },
      { event: 'done', data: {} },
    ]);
  });
});
