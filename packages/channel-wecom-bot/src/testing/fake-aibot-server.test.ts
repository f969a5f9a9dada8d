import { once } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { FakeAibotServer } from './fake-aibot-server.js';

// Checks the fake against the protocol facts with a bare socket, independent of our client.
const BOT_ID = 'aibFakeBot';
const SECRET = 'fake-secret-0123456789';
let server: FakeAibotServer | undefined;
const sockets: WebSocket[] = [];

afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.terminate();
  await server?.close();
});

async function client(url: string) {
  const socket = new WebSocket(url);
  sockets.push(socket);
  const inbox: Array<Record<string, unknown>> = [];
  socket.on('message', (data: Buffer) => inbox.push(JSON.parse(data.toString()) as Record<string, unknown>));
  await once(socket, 'open');
  const next = async (): Promise<Record<string, unknown>> => {
    while (inbox.length === 0) await once(socket, 'message');
    return inbox.shift() as Record<string, unknown>;
  };
  const send = async (cmd: string, reqId: string, body?: unknown) => {
    socket.send(JSON.stringify({ cmd, headers: { req_id: reqId }, body }));
    return next();
  };
  return { socket, next, send };
}

describe('FakeAibotServer', () => {
  it('answers subscribe errors like WeCom: 93019 for the bot id, 853000 for the secret', async () => {
    server = await FakeAibotServer.start({ botId: BOT_ID, secret: SECRET });
    const c = await client(server.url);
    expect(await c.send('aibot_subscribe', 's1', { bot_id: 'aibOther', secret: SECRET })).toEqual({ headers: { req_id: 's1' }, errcode: 93019, errmsg: 'invalid bot_id' });
    expect(await c.send('aibot_subscribe', 's2', { bot_id: BOT_ID, secret: 'nope-nope-nope' })).toMatchObject({ errcode: 853000 });
    expect(await c.send('aibot_subscribe', 's3', { bot_id: BOT_ID, secret: SECRET })).toMatchObject({ headers: { req_id: 's3' }, errcode: 0 });
    expect(await c.send('ping', 'p1')).toEqual({ headers: { req_id: 'p1' }, errcode: 0, errmsg: 'ok' });
    expect(server.subscriptions).toBe(1);
    expect(server.framesOf('aibot_subscribe').map((f) => f.reqId)).toEqual(['s1', 's2', 's3']);
  });

  it('expires a stream streamExpiryMs after its id was first seen (846608)', async () => {
    let now = 0;
    server = await FakeAibotServer.start({ botId: BOT_ID, secret: SECRET, streamExpiryMs: 1_000, now: () => now });
    const c = await client(server.url);
    await c.send('aibot_subscribe', 's', { bot_id: BOT_ID, secret: SECRET });
    const reqId = server.pushMessage({ msgid: 'm1' });
    expect(await c.next()).toMatchObject({ cmd: 'aibot_msg_callback', headers: { req_id: reqId }, body: { msgid: 'm1' } });
    const frame = { msgtype: 'stream', stream: { id: 'st', finish: false, content: 'x' } };
    expect(await c.send('aibot_respond_msg', reqId, frame)).toMatchObject({ errcode: 0 });
    now = 1_000;
    expect(await c.send('aibot_respond_msg', reqId, frame)).toMatchObject({ errcode: 0 });
    now = 1_001;
    expect(await c.send('aibot_respond_msg', reqId, frame)).toEqual({ headers: { req_id: reqId }, errcode: 846608, errmsg: 'stream message update expired' });
    expect(await c.send('aibot_send_msg', 'n1', { chatid: 'u', msgtype: 'markdown', markdown: { content: 'x' } })).toMatchObject({ errcode: 0 });
  });

  it('a second subscriber gets the bot; the first gets disconnected_event, then is closed', async () => {
    server = await FakeAibotServer.start({ botId: BOT_ID, secret: SECRET });
    const first = await client(server.url);
    await first.send('aibot_subscribe', 'a', { bot_id: BOT_ID, secret: SECRET });
    const closed = once(first.socket, 'close');
    const second = await client(server.url);
    await second.send('aibot_subscribe', 'b', { bot_id: BOT_ID, secret: SECRET });
    expect(await first.next()).toMatchObject({ cmd: 'aibot_event_callback', body: { event: { eventtype: 'disconnected_event' } } });
    await closed;
    server.pushMessage({ msgid: 'to-second' });
    expect(await second.next()).toMatchObject({ body: { msgid: 'to-second' } });
  });

  it('can hold acks back or drop them', async () => {
    server = await FakeAibotServer.start({ botId: BOT_ID, secret: SECRET });
    const c = await client(server.url);
    await c.send('aibot_subscribe', 's', { bot_id: BOT_ID, secret: SECRET });
    server.dropAcks((f) => f.reqId === 'dropped');
    c.socket.send(JSON.stringify({ cmd: 'ping', headers: { req_id: 'dropped' } }));
    server.setAckDelay(30);
    expect(await c.send('ping', 'late')).toMatchObject({ headers: { req_id: 'late' } });
    await server.waitForFrames((f) => f.cmd === 'ping', 2);
  });
});
