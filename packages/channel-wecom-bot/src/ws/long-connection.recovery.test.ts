import { memoryLogger } from '@wecom-bot/core/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeAibotServer } from '../testing/fake-aibot-server.js';
import { ConnectionClosedError } from './errors.js';
import type { CallbackFrame } from './frames.js';
import { LongConnection, type ConnectionState, type LongConnectionOptions } from './long-connection.js';

const BOT_ID = 'aibTestBot0002';
const SECRET = 'An0ther-secret-of-the-bot-42';
const HEARTBEAT_MS = 40;

let server: FakeAibotServer;
let connections: LongConnection[] = [];
let logLines: string[][] = [];

beforeEach(async () => {
  server = await FakeAibotServer.start({ botId: BOT_ID, secret: SECRET });
});

afterEach(async () => {
  await Promise.all(connections.map((c) => c.stop()));
  await server.close();
  for (const lines of logLines) expect(lines.join('\n')).not.toContain(SECRET);
  connections = [];
  logLines = [];
});

function connection(overrides: Partial<LongConnectionOptions> = {}) {
  const { logger, lines } = memoryLogger();
  const conn = new LongConnection({
    url: server.url,
    botId: BOT_ID,
    secret: SECRET,
    logger,
    heartbeatMs: HEARTBEAT_MS,
    ackTimeoutMs: 1_000,
    reconnect: { baseMs: 10, maxMs: 40 },
    ...overrides,
  });
  const states: ConnectionState[] = [];
  conn.onStateChange((state) => states.push(state));
  const received: CallbackFrame[] = [];
  conn.onCallback((frame) => {
    received.push(frame);
  });
  connections.push(conn);
  logLines.push(lines);
  return { conn, lines, states, received };
}

async function until(check: () => boolean, what: string, timeoutMs = 3_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('LongConnection: heartbeat', () => {
  it('pings every heartbeat and stays on one socket while pings are acked', async () => {
    const { conn } = connection();
    await conn.start();
    await server.waitForFrames((f) => f.cmd === 'ping', 3);
    expect(server.framesOf('ping').every((f) => f.connection === 1 && f.body === undefined)).toBe(true);
    expect(server.acceptedConnections).toBe(1);
    expect(conn.state).toBe('open');
  });

  it('declares the link dead after two unanswered pings, reconnects and resubscribes', async () => {
    const { conn, states, lines } = connection();
    await conn.start();
    server.dropAcks((f) => f.cmd === 'ping');
    await server.waitForSubscriptions(2);
    server.dropAcks(undefined);
    await conn.whenOpen(2_000);
    // The first socket sent exactly two pings before being given up.
    expect(server.framesOf('ping').filter((f) => f.connection === 1)).toHaveLength(2);
    expect(states).toEqual(['connecting', 'open', 'reconnecting', 'open']);
    expect(lines.some((l) => l.includes('pings unanswered'))).toBe(true);
  });
});

describe('LongConnection: reconnect', () => {
  it('reconnects a dropped socket with backoff, resubscribes, and callbacks keep flowing', async () => {
    const { conn, states, lines, received } = connection({ random: () => 0.5 });
    await conn.start();
    server.pushMessage({ msgid: 'before' });
    await until(() => received.length === 1, 'the first callback');

    server.dropConnections();
    await server.waitForSubscriptions(2);
    await conn.whenOpen(2_000);
    server.pushMessage({ msgid: 'after' });
    await until(() => received.length === 2, 'the callback after the reconnect');

    expect(received.map((f) => f.body['msgid'])).toEqual(['before', 'after']);
    expect(server.framesOf('aibot_subscribe').map((f) => f.connection)).toEqual([1, 2]);
    expect(states).toEqual(['connecting', 'open', 'reconnecting', 'open']);
    // First retry: half (random 0.5) of the base delay.
    const scheduled = lines.map((l) => JSON.parse(l) as { msg: string; delayMs?: number }).find((l) => l.msg.includes('reconnect scheduled'));
    expect(scheduled?.delayMs).toBe(5);
    expect(lines.some((l) => l.includes('reconnected'))).toBe(true);
    const ack = await conn.request('aibot_send_msg', { chatid: 'u1', msgtype: 'markdown', markdown: { content: 'still here' } });
    expect(ack.errcode).toBe(0);
  });

  it('keeps retrying with growing delays while the server is down, then comes back', async () => {
    const url = server.url;
    const port = Number(new URL(url).port);
    const { conn, lines } = connection({ random: () => 1 });
    await conn.start();
    await server.close();
    await until(() => lines.filter((l) => l.includes('reconnect failed')).length >= 3, 'three failed retries');
    expect(conn.state).toBe('reconnecting');
    const delays = lines
      .map((l) => JSON.parse(l) as { msg: string; delayMs?: number })
      .filter((l) => l.msg.includes('reconnect scheduled'))
      .map((l) => l.delayMs);
    expect(delays.slice(0, 4)).toEqual([10, 20, 40, 40]);

    server = await FakeAibotServer.start({ botId: BOT_ID, secret: SECRET, port });
    await conn.whenOpen(2_000);
    expect(server.subscriptions).toBe(1);
  });

  it('stop() rejects pending requests, closes the socket and never reconnects', async () => {
    const { conn, states } = connection();
    await conn.start();
    server.dropAcks((f) => f.cmd === 'aibot_send_msg');
    // Observed at once: it may reject before the test gets to await it.
    const pending = conn.request('aibot_send_msg', { chatid: 'u1' }).catch((error: unknown) => error);
    await server.waitForFrames((f) => f.cmd === 'aibot_send_msg');
    await conn.stop();
    expect(await pending).toBeInstanceOf(ConnectionClosedError);
    expect(conn.state).toBe('stopped');
    await until(() => server.connections === 0, 'the socket to close');
    await sleep(HEARTBEAT_MS * 3);
    expect(server.acceptedConnections).toBe(1);
    expect(states).toEqual(['connecting', 'open', 'stopped']);
  });

  it('stop() during start() leaves nothing open', async () => {
    const { conn } = connection();
    const starting = conn.start().catch((error: unknown) => error);
    await conn.stop();
    expect(await starting).toBeInstanceOf(Error);
    expect(conn.state).toBe('stopped');
    // The socket did open and subscribe, and was closed since nobody wants it.
    expect(server.subscriptions).toBe(1);
    await until(() => server.connections === 0, 'no socket left');
  });
});

describe('LongConnection: one instance per bot', () => {
  it('on disconnected_event becomes replaced, rejects pending requests, and does not reconnect', async () => {
    const { conn, states, lines, received } = connection();
    await conn.start();
    server.dropAcks((f) => f.cmd === 'aibot_send_msg');
    // Observed at once: it may reject before the test gets to await it.
    const pending = conn.request('aibot_send_msg', { chatid: 'u1' }).catch((error: unknown) => error);
    await server.waitForFrames((f) => f.cmd === 'aibot_send_msg');

    server.secondLogin();
    expect(await pending).toBeInstanceOf(ConnectionClosedError);
    expect(conn.state).toBe('replaced');
    // Several heartbeat periods and more than the longest backoff: nothing redials.
    await sleep(HEARTBEAT_MS * 5);
    expect(server.acceptedConnections).toBe(1);
    expect(conn.state).toBe('replaced');
    expect(states).toEqual(['connecting', 'open', 'replaced']);
    expect(received).toHaveLength(0); // the event is the connection's business, not a message
    expect(lines.some((l) => l.includes('Another instance') && l.includes('"level":"error"'))).toBe(true);
    await expect(conn.request('aibot_send_msg', {})).rejects.toBeInstanceOf(ConnectionClosedError);
  });

  it('two instances with one bot: the newer one keeps the bot, the older one stops for good', async () => {
    const first = connection();
    await first.conn.start();
    const second = connection();
    await second.conn.start();
    await until(() => first.conn.state === 'replaced', 'the first instance to be replaced');
    await sleep(HEARTBEAT_MS * 5);
    expect(server.acceptedConnections).toBe(2);
    expect(second.conn.state).toBe('open');
    server.pushMessage({ msgid: 'to-the-new-one' });
    await until(() => second.received.length === 1, 'the callback on the second instance');
    expect(first.received).toHaveLength(0);
  });

  it('can be started again after being replaced', async () => {
    const { conn } = connection();
    await conn.start();
    server.secondLogin();
    await until(() => conn.state === 'replaced', 'replaced');
    await conn.start();
    expect(conn.state).toBe('open');
    expect(server.subscriptions).toBe(2);
  });
});
