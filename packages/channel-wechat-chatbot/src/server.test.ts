import { request } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { REAL_KEFU, refPlainDecrypt, refPlainEncrypt, refWxEncrypt, skillBody, startChatbot, TEST_AES_KEY, TEST_APPID, TEST_TOKEN } from './testing/index.js';

/** Bad input: a 4xx in the mode's error shape, a log line, and the server keeps answering. */
describe('bad requests', () => {
  let close: (() => Promise<void>) | undefined;
  afterEach(async () => close?.());

  it('each bad input gets its 4xx and a log line; a good request still works afterwards', async () => {
    const started = await startChatbot();
    close = started.close;
    const post = (path: string, body: string) => fetch(`${started.url}${path}`, { method: 'POST', body });
    const cases: Array<[string, Promise<Response>, number, unknown]> = [
      ['plain JSON while encryption is on', post('/wxchatbot/skill', '{"Query":"x"}'), 400, { error: 'not encrypted' }],
      ['not base64', post('/wxchatbot/skill', '%%%not-base64%%%'), 400, { error: 'undecryptable' }],
      ['encrypted with another key', post('/wxchatbot/skill', skillBody({ Query: 'x' }, { aesKey: REAL_KEFU.aesKey })), 400, { error: 'undecryptable' }],
      // Once encrypted, whatever fails after the AES step answers like a padding failure (no padding oracle).
      ['encrypted broken JSON', post('/wxchatbot/skill', refPlainEncrypt(TEST_AES_KEY, '{"Query": ')), 400, { error: 'undecryptable' }],
      ['encrypted JSON without Query', post('/wxchatbot/skill', refPlainEncrypt(TEST_AES_KEY, '{"UserId":"u"}')), 400, { error: 'undecryptable' }],
      ['kefu: broken JSON', post('/wxchatbot/kefu', '{encrypted'), 400, { errcode: 400, errmsg: 'bad json' }],
      ['kefu: no encrypted field', post('/wxchatbot/kefu', '{}'), 400, { errcode: 400, errmsg: 'missing encrypted' }],
      ['kefu: wrong key', post('/wxchatbot/kefu', JSON.stringify({ encrypted: REAL_KEFU.encrypted })), 400, { errcode: 400, errmsg: 'undecryptable' }],
      ['kefu: another APPID', post('/wxchatbot/kefu', JSON.stringify({ encrypted: refWxEncrypt(TEST_AES_KEY, '<xml/>', 'OtherAppId') })), 400, { errcode: 400, errmsg: 'undecryptable' }],
      ['kefu: a DTD', post('/wxchatbot/kefu', JSON.stringify({ encrypted: refWxEncrypt(TEST_AES_KEY, '<!DOCTYPE x [<!ENTITY a "b">]><xml/>', TEST_APPID) })), 400, { errcode: 400, errmsg: 'undecryptable' }],
      ['kefu: decrypts, but not to a message', post('/wxchatbot/kefu', JSON.stringify({ encrypted: refWxEncrypt(TEST_AES_KEY, 'garbage', TEST_APPID) })), 400, { errcode: 400, errmsg: 'undecryptable' }],
      ['unknown mode (path)', post('/wxchatbot/other', '{}'), 404, { error: 'unknown path' }],
      ['wrong method for a mode', fetch(`${started.url}/wxchatbot/skill`), 405, { error: 'method not allowed' }],
    ];
    for (const [what, pending, status, body] of cases) {
      const res = await pending;
      expect(res.status, what).toBe(status);
      expect(await res.json(), what).toEqual(body);
    }
    expect(started.app.logLines.filter((l) => l.includes('"level":"warn"')).length).toBeGreaterThanOrEqual(cases.length);
    // The log still tells the admin what really went wrong.
    expect(started.app.logLines.some((l) => l.includes('not valid JSON'))).toBe(true);
    expect(started.app.logLines.some((l) => l.includes('receive id'))).toBe(true);

    const good = await post('/wxchatbot/skill', skillBody({ Query: 'still here?' }));
    expect(good.status).toBe(200);
    expect(JSON.parse(refPlainDecrypt(TEST_AES_KEY, await good.text()))).toMatchObject({ text_info: { short_answer: '答：still here?' } });

    const logs = started.app.logLines.join('\n');
    expect(logs).not.toContain(TEST_TOKEN);
    expect(logs).not.toContain(TEST_AES_KEY);
  });

  it('refuses a body over the limit with 413 and keeps serving', async () => {
    const started = await startChatbot();
    close = started.close;
    const res = await fetch(`${started.url}/wxchatbot/skill`, { method: 'POST', body: 'A'.repeat(300 * 1024) });
    expect(res.status).toBe(413);
    expect(await res.json()).toEqual({ error: 'body too large' });
    const good = await fetch(`${started.url}/wxchatbot/skill`, { method: 'POST', body: skillBody({ Query: 'ok' }) });
    expect(good.status).toBe(200);
  });

  it('a client that hangs up mid-body does not stop the server', async () => {
    const started = await startChatbot();
    close = started.close;
    const { port } = started.channel.address!;
    await new Promise<void>((resolve) => {
      const req = request({ host: '127.0.0.1', port, path: '/wxchatbot/skill', method: 'POST', headers: { 'content-length': '1000' } });
      req.on('error', () => resolve());
      req.write('abc', () => {
        req.destroy();
        resolve();
      });
    });
    const good = await fetch(`${started.url}/wxchatbot/skill`, { method: 'POST', body: skillBody({ Query: 'after hang-up' }) });
    expect(good.status).toBe(200);
  });
});
