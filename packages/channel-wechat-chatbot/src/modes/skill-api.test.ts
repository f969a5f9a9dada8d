import { afterEach, describe, expect, it } from 'vitest';
import { refMd5, refPlainDecrypt, skillBody, startChatbot, TEST_AES_KEY, TEST_TOKEN } from '../testing/index.js';
import { skillSignature } from './skill-api.js';

/*
 * Mode 1 has no worked example in its doc (developers.weixin.qq.com/doc/aispeech/confapi/thirdapi):
 * the page gives the formulas only, md5(token + Timestamp + SkillName + IntentName + Query) and
 * base64(AES-CBC(body)) with key = base64(EncodingAESKey + "=") and IV = key[0:16]. So the
 * requests here are built and the responses read by an independent node:crypto implementation
 * (testing/index.ts), never by our own module.
 */
describe('skill reply by API (mode 1) over loopback', () => {
  let close: (() => Promise<void>) | undefined;
  afterEach(async () => close?.());

  it('signature is md5 of token + Timestamp + SkillName + IntentName + Query, lower-case hex', () => {
    expect(skillSignature('tok', '1700000000', '天气', '查询', '北京')).toBe(refMd5('tok1700000000天气查询北京'));
    expect(skillSignature('tok', '1', '', '', 'x')).toMatch(/^[0-9a-f]{32}$/);
  });

  it('answers an encrypted, signed request with the bot answer, encrypted the same way', async () => {
    const started = await startChatbot();
    close = started.close;
    const res = await fetch(`${started.url}/wxchatbot/skill`, { method: 'POST', body: skillBody({ Query: '你好，世界' }) });
    expect(res.status).toBe(200);
    const body = await res.text();
    expect(body.startsWith('{')).toBe(false);
    expect(JSON.parse(refPlainDecrypt(TEST_AES_KEY, body))).toEqual({ answer_type: 'text', text_info: { short_answer: '答：你好，世界' } });
  });

  it('keeps one conversation per UserId', async () => {
    const started = await startChatbot();
    close = started.close;
    await fetch(`${started.url}/wxchatbot/skill`, { method: 'POST', body: skillBody({ Query: 'a', UserId: 'alice' }) });
    await fetch(`${started.url}/wxchatbot/skill`, { method: 'POST', body: skillBody({ Query: 'b', UserId: 'bob' }) });
    const sessions = started.app.logLines.filter((l) => l.includes('"mode":"skill"')).map((l) => (JSON.parse(l) as { user: string }).user);
    expect(sessions).toEqual(['alice', 'bob']);
  });

  it('with encryption and signature off, takes and answers plain JSON', async () => {
    const started = await startChatbot({ wechat_chatbot_encrypt: false, wechat_chatbot_verify_signature: false });
    close = started.close;
    const res = await fetch(`${started.url}/wxchatbot/skill`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: skillBody({ Query: 'plain' }, { encrypt: false, signature: 'not checked' }),
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ answer_type: 'text', text_info: { short_answer: '答：plain' } });
  });

  it('refuses a wrong signature with 401 and a log line naming the token key, not the token', async () => {
    const started = await startChatbot();
    close = started.close;
    const res = await fetch(`${started.url}/wxchatbot/skill`, { method: 'POST', body: skillBody({ Query: 'x' }, { token: 'someone-else' }) });
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ error: 'bad signature' });
    const line = started.app.logLines.find((l) => l.includes('Signature does not match'));
    expect(line).toContain('wechat_chatbot_token');
    expect(started.app.logLines.join('\n')).not.toContain(TEST_TOKEN);
  });
});
