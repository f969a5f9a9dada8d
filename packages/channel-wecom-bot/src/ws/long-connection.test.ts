import { memoryLogger } from '@wecom-bot/core/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeAibotServer } from '../testing/fake-aibot-server.js';
import { AckTimeoutError, AuthError, ConnectError, ConnectionClosedError } from './errors.js';
import type { CallbackFrame } from './frames.js';
import { LongConnection, type LongConnectionOptions } from './long-connection.js';

const BOT_ID = 'aibTestBot0001';
const SECRET = 'S3cret-of-the-bot-0123456789';

let server: FakeAibotServer;
let connections: LongConnection[] = [];
let logLines: string[][] = [];

beforeEach(async () => {
  server = await FakeAibotServer.start({ botId: BOT_ID, secret: SECRET, streamExpiryMs: 60 });
});

afterEach(async () => {
  await Promise.all(connections.map((c) => c.stop()));
  await server.close();
  // The logger here has no secret registry: a leak would show in plain text.
  for (const lines of logLines) expect(lines.join('\n')).not.toContain(SECRET);
  connections = [];
  logLines = [];
});

function connection(overrides: Partial<LongConnectionOptions> = {}): { conn: LongConnection; lines: string[] } {
  const { logger, lines } = memoryLogger();
  const conn = new LongConnection({
    url: server.url,
    botId: BOT_ID,
    secret: SECRET,
    logger,
    heartbeatMs: 50,
    ackTimeoutMs: 1_000,
    reconnect: { baseMs: 10, maxMs: 40 },
    ...overrides,
  });
  connections.push(conn);
  logLines.push(lines);
  return { conn, lines };
}

function collect(conn: LongConnection): CallbackFrame[] {
  const received: CallbackFrame[] = [];
  conn.onCallback((frame) => {
    received.push(frame);
  });
  return received;
}

async function until(check: () => boolean, what: string, timeoutMs = 3_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

describe('LongConnection: subscribe', () => {
  it('subscribes with bot_id and secret and is open', async () => {
    const { conn } = connection();
    await conn.start();
    expect(conn.state).toBe('open');
    const [subscribe] = server.framesOf('aibot_subscribe');
    expect(subscribe?.body).toEqual({ bot_id: BOT_ID, secret: SECRET });
    expect(server.subscriptions).toBe(1);
  });

  it('reports 93019 as a wrong wecom_bot_id, and does not retry', async () => {
    const { conn, lines } = connection({ botId: 'aibWrongBot' });
    const error = await conn.start().then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(AuthError);
    expect((error as AuthError).errcode).toBe(93019);
    expect((error as AuthError).configKey).toBe('wecom_bot_id');
    expect((error as Error).message).toContain('wecom_bot_id');
    expect((error as Error).message).not.toContain(SECRET);
    expect(conn.state).toBe('stopped');
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(server.acceptedConnections).toBe(1);
    expect(lines.join('\n')).not.toContain(SECRET);
  });

  it('reports 853000 as a wrong wecom_bot_secret, without the secret anywhere', async () => {
    const wrong = 'Wrong-secret-value-98765';
    const { conn, lines } = connection({ secret: wrong });
    const error = await conn.start().then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(AuthError);
    expect((error as AuthError).errcode).toBe(853000);
    expect((error as AuthError).configKey).toBe('wecom_bot_secret');
    expect((error as Error).message).toContain('wecom_bot_secret');
    expect((error as Error).message).not.toContain(wrong);
    expect(JSON.stringify(error)).not.toContain(wrong);
    expect(lines.join('\n')).not.toContain(wrong);
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(server.acceptedConnections).toBe(1);
  });

  it('rejects start() with the URL and the error code when nothing listens', async () => {
    const gone = await FakeAibotServer.start({ botId: BOT_ID, secret: SECRET });
    const url = gone.url;
    await gone.close();
    const { conn } = connection({ url });
    const error = await conn.start().then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(ConnectError);
    expect((error as ConnectError).code).toBe('ECONNREFUSED');
    expect((error as Error).message).toContain(url);
    expect((error as Error).message).toContain('wecom_bot_ws_url');
    expect(conn.state).toBe('stopped');
  });
});

describe('LongConnection: requests and acks', () => {
  it('resolves each request with the ack of its own req_id', async () => {
    const { conn } = connection();
    await conn.start();
    server.setAckDelay(20);
    const [a, b] = await Promise.all([
      conn.request('aibot_send_msg', { chatid: 'u1', msgtype: 'markdown', markdown: { content: 'a' } }),
      conn.request('aibot_send_msg', { chatid: 'u2', msgtype: 'markdown', markdown: { content: 'b' } }, 'my-req-id'),
    ]);
    const sent = server.framesOf('aibot_send_msg');
    expect(a.reqId).toBe(sent[0]?.reqId);
    expect(b.reqId).toBe('my-req-id');
    expect(a.reqId).not.toBe(b.reqId);
    expect([a.errcode, b.errcode]).toEqual([0, 0]);
  });

  it('correlates several frames under one req_id in send order, resolving non-zero errcodes', async () => {
    let clock = 1_000_000;
    await server.close();
    server = await FakeAibotServer.start({ botId: BOT_ID, secret: SECRET, streamExpiryMs: 6 * 60_000, now: () => clock });
    const { conn } = connection({ url: server.url });
    await conn.start();
    const received = collect(conn);
    const reqId = server.pushMessage({ msgid: 'm1', msgtype: 'text', text: { content: 'hi' } });
    await until(() => received.length === 1, 'the callback');
    expect(received[0]?.headers.req_id).toBe(reqId);

    const frame = (id: string, content: string) => ({ msgtype: 'stream', stream: { id, finish: false, content } });
    await conn.request('aibot_respond_msg', frame('old', 'x'), reqId);
    clock += 7 * 60_000; // stream "old" is now past its 6 minutes; "new" starts fresh
    const acks = await Promise.all([
      conn.request('aibot_respond_msg', frame('new', 'a'), reqId),
      conn.request('aibot_respond_msg', frame('old', 'late'), reqId),
      conn.request('aibot_respond_msg', frame('new', 'a\nb'), reqId),
    ]);
    expect(acks.map((ack) => ack.errcode)).toEqual([0, 846608, 0]);
    expect(acks[1]?.errmsg).toBe('stream message update expired');
    expect(acks.every((ack) => ack.reqId === reqId)).toBe(true);
    const bodies = server.framesOf('aibot_respond_msg').map((f) => f.body);
    expect(bodies[3]).toEqual(frame('new', 'a\nb'));
  });

  it('rejects with AckTimeoutError when no ack comes, and stays open', async () => {
    const { conn } = connection({ ackTimeoutMs: 100 });
    await conn.start();
    server.dropAcks((f) => f.cmd === 'aibot_send_msg');
    const error = await conn.request('aibot_send_msg', { chatid: 'u1' }).then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(AckTimeoutError);
    expect((error as AckTimeoutError).cmd).toBe('aibot_send_msg');
    expect(conn.state).toBe('open');
  });

  it('rejects a pending request when the socket drops', async () => {
    const { conn } = connection();
    await conn.start();
    server.dropAcks((f) => f.cmd === 'aibot_send_msg');
    // Observed at once: it may reject before the test gets to await it.
    const pending = conn.request('aibot_send_msg', { chatid: 'u1' }).catch((error: unknown) => error);
    await server.waitForFrames((f) => f.cmd === 'aibot_send_msg');
    server.dropConnections();
    expect(await pending).toBeInstanceOf(ConnectionClosedError);
  });

  it('rejects a request at once while not open', async () => {
    const { conn } = connection();
    await expect(conn.request('aibot_send_msg', {})).rejects.toBeInstanceOf(ConnectionClosedError);
  });
});

describe('LongConnection: inbound frames', () => {
  it('delivers message and event callbacks', async () => {
    const { conn } = connection();
    await conn.start();
    const received = collect(conn);
    const m = server.pushMessage({ msgid: 'm1', msgtype: 'text', text: { content: '@大黄你好' } });
    const e = server.pushEvent({ msgid: 'e1', msgtype: 'event', event: { eventtype: 'enter_chat' } });
    await until(() => received.length === 2, 'two callbacks');
    expect(received.map((f) => [f.cmd, f.headers.req_id])).toEqual([
      ['aibot_msg_callback', m],
      ['aibot_event_callback', e],
    ]);
    expect(received[0]?.body['text']).toEqual({ content: '@大黄你好' });
  });

  it('lets a handler reply at once under the callback req_id', async () => {
    const { conn } = connection();
    await conn.start();
    const acks: number[] = [];
    conn.onCallback(async (frame) => {
      const body = { msgtype: 'stream', stream: { id: 'st-1', finish: false, content: '思考中…' } };
      acks.push((await conn.request('aibot_respond_msg', body, frame.headers.req_id)).errcode);
    });
    const reqId = server.pushMessage({ msgid: 'm1', msgtype: 'text', text: { content: 'hi' } });
    const [reply] = await server.waitForFrames((f) => f.cmd === 'aibot_respond_msg');
    expect(reply?.reqId).toBe(reqId);
    await until(() => acks.length === 1, 'the ack');
    expect(acks).toEqual([0]);
  });

  it('logs and ignores a junk frame, strips control characters, and keeps going', async () => {
    const { conn, lines } = connection();
    await conn.start();
    const received = collect(conn);
    server.pushRaw('this is not json {');
    server.pushRaw('{"cmd":"aibot_msg_callback",\u0001"headers":{"req_id":"r-ctl"},"body":{"msgid":"m\u0002x"}}');
    server.pushMessage({ msgid: 'after-junk' });
    await until(() => received.length === 2, 'two callbacks');
    expect(received[0]?.headers.req_id).toBe('r-ctl');
    expect(received[0]?.body['msgid']).toBe('mx');
    expect(received[1]?.body['msgid']).toBe('after-junk');
    expect(lines.some((line) => line.includes('junk frame'))).toBe(true);
    expect(conn.state).toBe('open');
  });

  it('logs a failing handler and still runs the others', async () => {
    const { conn, lines } = connection();
    await conn.start();
    conn.onCallback(() => {
      throw new Error('handler bug');
    });
    conn.onCallback(async () => {
      throw new Error('async handler bug');
    });
    const received = collect(conn);
    server.pushMessage({ msgid: 'm1' });
    server.pushMessage({ msgid: 'm2' });
    await until(() => received.length === 2, 'two callbacks');
    await until(() => lines.filter((l) => l.includes('callback handler failed')).length === 4, 'four error lines');
    expect(conn.state).toBe('open');
  });
});
