import { memoryLogger } from '@wecom-bot/core/testing';
import { WXBizJsonMsgCrypt } from '@wecom-bot/wx-crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { WecomWebhookClient } from '../testing/webhook-client.js';
import { listenWebhook, type WebhookServer } from './listen.js';
import { createWebhookApp } from './server.js';
import type { WebhookCallback, WebhookReply } from './types.js';

// An interface, like the channel's StreamFrame: WebhookReply must accept it as it is.
interface Frame {
  msgtype: 'stream';
  stream: { id: string; finish: boolean; content: string };
}
const streamFrame = (id: string, content: string, finish = false): Frame => ({ msgtype: 'stream', stream: { id, finish, content } });

const TOKEN = 'aibotTokenForTests';
const AES_KEY = 'kVZ3u0Xvy1m3ZnqGf9dZ0rQ5cH7bS2wE4aL6tY8pN1x';
const PATH = '/wecombot';
const MAX_BODY = 4096;

// No secrets are registered with this logger, so a leak would show in `lines`.
const { logger, lines } = memoryLogger();
const messages: WebhookCallback[] = [];
const refreshes: Array<{ id: string; body: WebhookCallback }> = [];
let onMessage: (body: WebhookCallback) => Promise<WebhookReply | undefined>;
let onRefresh: (id: string) => WebhookReply | undefined | Promise<WebhookReply | undefined>;

let server: WebhookServer;
let client: WecomWebhookClient;
let base: string;

beforeAll(async () => {
  const app = createWebhookApp({
    path: PATH,
    crypt: new WXBizJsonMsgCrypt(TOKEN, AES_KEY, ''),
    maxBodyBytes: MAX_BODY,
    logger,
    onMessage: (body) => {
      messages.push(body);
      return onMessage(body);
    },
    onRefresh: (id, body) => {
      refreshes.push({ id, body });
      return onRefresh(id);
    },
  });
  server = await listenWebhook(app, { port: 0, host: '127.0.0.1' });
  base = `http://127.0.0.1:${server.port}`;
  client = new WecomWebhookClient({ url: `${base}${PATH}`, token: TOKEN, aesKey: AES_KEY });
});

afterAll(async () => {
  await server.close();
  // Whatever happened above, neither secret reached a log line.
  expect(lines.join('\n')).not.toContain(TOKEN);
  expect(lines.join('\n')).not.toContain(AES_KEY);
});

beforeEach(() => {
  messages.length = 0;
  refreshes.length = 0;
  lines.length = 0;
  onMessage = async () => undefined;
  onRefresh = () => undefined;
});

const warnLines = () => lines.filter((l) => (JSON.parse(l) as { level: string }).level === 'warn');

describe('URL verification (GET)', () => {
  it('answers the decrypted echostr as bare text: no quotes, BOM or newline', async () => {
    const answer = await client.verifyUrl('7310951368124829103');
    expect(answer.status).toBe(200);
    expect(answer.body).toBe('7310951368124829103');
    expect(answer.contentType).toMatch(/^text\/plain/);
    expect(lines.some((l) => l.includes('verified the AI bot webhook URL'))).toBe(true);
  });

  it('a wrong signature is 401 with one warn line; missing parameters are 400', async () => {
    const other = new WecomWebhookClient({ url: `${base}${PATH}`, token: 'anotherToken', aesKey: AES_KEY });
    expect((await other.verifyUrl()).status).toBe(401);
    expect(warnLines()).toHaveLength(1);
    const bare = await fetch(`${base}${PATH}?timestamp=1&nonce=2`);
    expect(bare.status).toBe(400);
    expect(await bare.text()).toContain('msg_signature');
  });
});

describe('callbacks (POST)', () => {
  it('hands the decrypted body to onMessage once and encrypts its reply with the request timestamp and nonce', async () => {
    const callback = client.text('@RobotA 你好\n第二行', { chattype: 'group', chatid: 'wrkSFfCgAAtest' });
    onMessage = async () => streamFrame('stream-1', '正在思考…');
    const answer = await client.postMessage(callback);
    expect(answer.status).toBe(200);
    expect(answer.contentType).toMatch(/^text\/plain/);
    expect(messages).toEqual([callback]);
    expect(refreshes).toEqual([]);
    expect(answer.reply).toEqual({ msgtype: 'stream', stream: { id: 'stream-1', finish: false, content: '正在思考…' } });
    expect(answer.envelope).toMatchObject({ timestamp: answer.sent?.timestamp, nonce: answer.sent?.nonce });
    expect(Object.keys(answer.envelope ?? {})).toEqual(['encrypt', 'msgsignature', 'timestamp', 'nonce']);
  });

  it('answers an empty 200 when onMessage has nothing to say', async () => {
    const answer = await client.postMessage({ msgid: client.nextMsgId(), msgtype: 'event', event: { eventtype: 'feedback_event' } });
    expect(answer.status).toBe(200);
    expect(answer.body).toBe('');
    expect(messages).toHaveLength(1);
  });

  it('passes a welcome text through for enter_chat', async () => {
    onMessage = async () => ({ msgtype: 'text', text: { content: '你好，我是机器人' } });
    const answer = await client.postMessage({ msgid: client.nextMsgId(), msgtype: 'event', event: { eventtype: 'enter_chat' } });
    expect(answer.reply).toEqual({ msgtype: 'text', text: { content: '你好，我是机器人' } });
  });

  it('a refresh poll goes to onRefresh (not onMessage) and is answered with its frame', async () => {
    onRefresh = (id) => streamFrame(id, '第一段\n第二段', true);
    const answer = await client.refresh('stream-7');
    expect(messages).toEqual([]);
    expect(refreshes.map((r) => r.id)).toEqual(['stream-7']);
    expect(refreshes[0]?.body).toMatchObject({ msgtype: 'stream', stream: { id: 'stream-7' } });
    expect(answer.reply).toEqual({ msgtype: 'stream', stream: { id: 'stream-7', finish: true, content: '第一段\n第二段' } });
  });

  it('a refresh poll for an unknown stream is answered finish:true, empty, so WeCom stops polling', async () => {
    const answer = await client.refresh('gone-after-restart');
    expect(answer.reply).toEqual({ msgtype: 'stream', stream: { id: 'gone-after-restart', finish: true, content: '' } });
  });

  it('a failing handler gets an empty 200 and an error line, and the next request is served', async () => {
    onMessage = async () => {
      throw new Error('bot exploded');
    };
    const failed = await client.postMessage(client.text('hi'));
    expect(failed).toMatchObject({ status: 200, body: '' });
    expect(lines.some((l) => l.includes('handler failed') && l.includes('bot exploded'))).toBe(true);
    onRefresh = () => Promise.reject(new Error('store down'));
    expect(await client.refresh('s')).toMatchObject({ status: 200, body: '' });
    onMessage = async () => ({ msgtype: 'text', text: { content: 'ok' } });
    expect((await client.postMessage(client.text('again'))).reply).toEqual({ msgtype: 'text', text: { content: 'ok' } });
  });
});

describe('refused callbacks', () => {
  it('a wrong signature is 401 and no handler runs', async () => {
    const answer = await client.send(client.prepare(client.text('forged'), client.crypt, 'notTheToken'));
    expect(answer.status).toBe(401);
    expect(answer.body).toContain('-40001');
    expect(messages).toEqual([]);
    expect(warnLines()).toHaveLength(1);
  });

  it('a ciphertext under another AES key (correctly signed) is a 4xx and no handler runs', async () => {
    const otherKey = new WXBizJsonMsgCrypt(TOKEN, 'Zm9vYmFyYmF6cXV4cXV1eGNvcmdlZ3JhdWx0Z2FycGx', '');
    const answer = await client.send(client.prepare(client.text('x'), otherKey));
    expect(answer.status).toBeGreaterThanOrEqual(400);
    expect(answer.status).toBeLessThan(500);
    expect(messages).toEqual([]);
  });

  it.each([
    ['broken JSON', '{"encrypt":'],
    ['no encrypt field', '{"Encrypt":"abc"}'],
    ['an empty body', ''],
  ])('%s is 400 with one warn line', async (_label, body) => {
    const prepared = client.prepare(client.text('x'));
    const answer = await client.send({ url: prepared.url, body });
    expect(answer.status).toBe(400);
    expect(messages).toEqual([]);
    expect(warnLines()).toHaveLength(1);
    expect(lines.join('\n')).not.toMatch(/"stack"|at .*\.ts:\d+/);
  });

  it('a decrypted body that is not a JSON object with msgtype is 400', async () => {
    for (const plaintext of ['not json at all', '[1,2]', '{"msgid":"1"}', '{"msgtype":"stream","stream":{}}']) {
      const answer = await client.send(client.prepare(plaintext));
      expect(answer.status).toBe(400);
    }
    expect(messages).toEqual([]);
    expect(refreshes).toEqual([]);
    // The user's text must not be quoted into the log by the JSON parser.
    expect(lines.join('\n')).not.toContain('not json at all');
  });

  it('a body over maxBodyBytes is 413', async () => {
    const prepared = client.prepare(client.text('x'));
    const answer = await client.send({ url: prepared.url, body: JSON.stringify({ encrypt: 'A'.repeat(MAX_BODY + 100) }) });
    expect(answer.status).toBe(413);
    expect(messages).toEqual([]);
  });

  it('other methods are 405; /healthz answers', async () => {
    expect((await fetch(`${base}${PATH}`, { method: 'PUT' })).status).toBe(405);
    const health = await fetch(`${base}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok' });
  });
});

describe('listenWebhook', () => {
  it('says the port is taken, naming the config key', async () => {
    const app = createWebhookApp({ path: PATH, crypt: new WXBizJsonMsgCrypt(TOKEN, AES_KEY), maxBodyBytes: MAX_BODY, logger, onMessage, onRefresh });
    await expect(listenWebhook(app, { port: server.port, host: '127.0.0.1', portKey: 'wecom_bot_port' })).rejects.toThrow(/in use.*wecom_bot_port/);
  });
});
