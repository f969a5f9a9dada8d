import { WXBizMsgCrypt } from '@wecom-bot/wx-crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { REAL_KEFU, refWxDecrypt, refWxEncrypt, startChatbot, startSendmsgServer, TEST_AES_KEY, TEST_APPID, TEST_TOKEN } from '../testing/index.js';
import { parseKefuXml, renderSendmsgXml } from './kefu.js';

const realBot = { token: REAL_KEFU.token, aesKey: REAL_KEFU.aesKey, appid: REAL_KEFU.appid };

function field(xml: string, name: string): string | undefined {
  const m = new RegExp(`<${name}>(?:<!\\[CDATA\\[)?([\\s\\S]*?)(?:\\]\\]>)?</${name}>`).exec(xml);
  return m?.[1];
}

describe('third-party customer service (mode 3) over loopback', () => {
  const cleanups: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0)) await c();
  });

  it('the real platform ciphertext decrypts (reference check, independent of our code)', () => {
    const { message, receiveId } = refWxDecrypt(REAL_KEFU.aesKey, REAL_KEFU.encrypted);
    expect(receiveId).toBe(REAL_KEFU.appid);
    const parsed = parseKefuXml(message);
    expect(parsed).toMatchObject({ userid: REAL_KEFU.userid, appid: REAL_KEFU.token, text: REAL_KEFU.text, from: '0', channel: '7', createdAt: 1716535576 });
  });

  it('answers the real callback at once and pushes the bot answer through sendmsg, encrypted for the bot', async () => {
    const platform = await startSendmsgServer(realBot);
    cleanups.push(platform.close);
    const started = await startChatbot({
      wechat_chatbot_token: REAL_KEFU.token,
      wechat_chatbot_aes_key: REAL_KEFU.aesKey,
      wechat_chatbot_appid: REAL_KEFU.appid,
      wechat_chatbot_api_base: platform.base,
    });
    cleanups.push(started.close);

    const res = await fetch(`${started.url}/wxchatbot/kefu`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ encrypted: REAL_KEFU.encrypted }),
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ errcode: 0, errmsg: 'ok' });

    await platform.waitFor(1);
    const [sent] = platform.received;
    expect(sent!.token).toBe(REAL_KEFU.token);
    // Decrypted by the fake platform with WXBizMsgCrypt, and again by the independent reference.
    const reference = refWxDecrypt(REAL_KEFU.aesKey, sent!.encrypt);
    expect(reference.receiveId).toBe(REAL_KEFU.appid);
    expect(reference.message).toBe(sent!.xml);
    expect(field(sent!.xml, 'openid')).toBe(REAL_KEFU.userid);
    expect(field(sent!.xml, 'msg')).toBe(`答：${REAL_KEFU.text}`);
    expect(field(sent!.xml, 'channel')).toBe('7');
    // The H5 channel's appid (the TOKEN) is echoed back, as the sendmsg doc asks for channel 7.
    expect(field(sent!.xml, 'appid')).toBe(REAL_KEFU.token);
    // TOKEN is in the sendmsg URL: it must not be in any log line.
    expect(started.app.logLines.join('\n')).not.toContain(REAL_KEFU.token);
    expect(started.app.logLines.join('\n')).not.toContain(REAL_KEFU.aesKey);
  });

  it('ignores what the bot or an agent said, and events, without asking the bot', async () => {
    const platform = await startSendmsgServer({ token: TEST_TOKEN, aesKey: TEST_AES_KEY, appid: TEST_APPID });
    cleanups.push(platform.close);
    const started = await startChatbot({ wechat_chatbot_api_base: platform.base });
    cleanups.push(started.close);
    const post = (xml: string) =>
      fetch(`${started.url}/wxchatbot/kefu`, { method: 'POST', body: JSON.stringify({ encrypted: refWxEncrypt(TEST_AES_KEY, xml, TEST_APPID) }) });
    expect((await post('<xml><userid>u1</userid><appid>a</appid><content><msg>机器人的回答</msg></content><from>1</from><channel>0</channel></xml>')).status).toBe(200);
    expect((await post('<xml><userid>u1</userid><appid>a</appid><content><msg></msg></content><event>userEnter</event><from>0</from></xml>')).status).toBe(200);
    expect((await post('<xml><userid>u1</userid><appid>wxapp</appid><content><msg>真的问题</msg></content><from>0</from><channel>0</channel></xml>')).status).toBe(200);
    await platform.waitFor(1);
    await new Promise((r) => setTimeout(r, 100));
    expect(platform.received.map((r) => field(r.xml, 'msg'))).toEqual(['答：真的问题']);
    expect(field(platform.received[0]!.xml, 'appid')).toBe('wxapp');
  });

  it('errcode 1019 from sendmsg is logged as a wrong token or encryption, without the token', async () => {
    // The platform knows another AES key than ours: our ciphertext does not decrypt there.
    const platform = await startSendmsgServer({ token: TEST_TOKEN, aesKey: REAL_KEFU.aesKey, appid: TEST_APPID });
    cleanups.push(platform.close);
    const started = await startChatbot({ wechat_chatbot_api_base: platform.base });
    cleanups.push(started.close);
    const encrypted = refWxEncrypt(TEST_AES_KEY, '<xml><userid>u9</userid><appid>a</appid><content><msg>hi</msg></content><from>0</from><channel>0</channel></xml>', TEST_APPID);
    expect((await fetch(`${started.url}/wxchatbot/kefu`, { method: 'POST', body: JSON.stringify({ encrypted }) })).status).toBe(200);
    // The errcode itself, not digits of the line's "time" field.
    const about1019 = (l: string) => l.includes('wechat_chatbot_token') && /\b1019\b/.test(l.replace(/"time":"[^"]*"/, ''));
    await expect.poll(() => started.app.logLines.find(about1019), { timeout: 3000 }).toBeDefined();
    const line = started.app.logLines.find(about1019)!;
    expect(line).toContain('wechat_chatbot_token');
    expect(line).toContain('/openapi/sendmsg');
    expect(started.app.logLines.join('\n')).not.toContain(TEST_TOKEN);
  });

  it('renders sendmsg XML that survives "]]>" and markup in the answer', () => {
    const xml = renderSendmsgXml({ appid: 'a', openid: 'o', msg: 'x]]><b>y</b>', channel: '0', kefuname: '小助手' });
    const crypt = new WXBizMsgCrypt(TEST_TOKEN, TEST_AES_KEY, TEST_APPID);
    expect(crypt.decrypt(crypt.encrypt(xml))).toBe(xml);
    expect(xml).toContain('<kefuname><![CDATA[小助手]]></kefuname>');
    expect(xml.replace(/<!\[CDATA\[|\]\]>/g, '')).toContain('x]]><b>y</b>');
  });
});
