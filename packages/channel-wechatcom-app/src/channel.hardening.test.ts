// Issue 10, "correct under attack": hostile XML, replayed callbacks and forged client addresses,
// against the real channel on loopback with real WeCom crypto.
import { computeSignature } from '@wecom-bot/wx-crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { closeAll, start, text, type Harness } from './testing/channel-harness.js';
import { WecomCallbackClient, nextMsgId, type PreparedCallback } from './testing/index.js';
import { cdata } from './xml/render-passive-reply.js';

afterEach(closeAll);

const nowSeconds = () => Math.floor(Date.now() / 1000);

/** A callback signed with the app's Token at a chosen timestamp (a captured one, replayed later). */
function signedAt(h: Harness, plainXml: string, timestamp: number, token = String(h.raw.wechatcomapp_token)): PreparedCallback {
  const encrypt = h.wecom.crypt.encrypt(plainXml);
  const nonce = '1372623149';
  const query = new URLSearchParams({ msg_signature: computeSignature(token, String(timestamp), nonce, encrypt), timestamp: String(timestamp), nonce });
  const body = `<xml><ToUserName>${cdata(String(h.raw.wechatcom_corp_id))}</ToUserName><Encrypt>${cdata(encrypt)}</Encrypt><AgentID>1000002</AgentID></xml>`;
  return { url: `${h.url}?${query}`, body };
}

/** The structured log lines written while `action` ran. */
async function logsDuring<T>(h: Harness, action: () => Promise<T>): Promise<{ result: T; lines: Array<Record<string, unknown>> }> {
  const before = h.app.logLines.length;
  const result = await action();
  return { result, lines: h.app.logLines.slice(before).map((l) => JSON.parse(l) as Record<string, unknown>) };
}

const WARN = 'warn';
const nested = (depth: number, inner: string) => '<a>'.repeat(depth) + inner + '</a>'.repeat(depth);

describe('malformed bodies get a 4xx and one warn line', () => {
  it('refuses XML nested 101+ levels deep, unsigned around the envelope and signed inside it, without a stack trace', async () => {
    const h = await start();
    const good = h.wecom.prepare(text(h, 'x'));
    const forgedUrl = good.url.replace(/msg_signature=[^&]+/, 'msg_signature=0000000000000000000000000000000000000000');
    const bodies: PreparedCallback[] = [
      { url: forgedUrl, body: `<xml>${nested(101, '')}<Encrypt>abc</Encrypt></xml>` },
      { url: forgedUrl, body: `<xml><ToUserName>c</ToUserName><Encrypt>${nested(150, 'abc')}</Encrypt></xml>` },
      { url: forgedUrl, body: nested(9000, '') },
      h.wecom.prepare(`<xml><FromUserName>u</FromUserName><MsgType>text</MsgType>${nested(101, 'deep')}<MsgId>${nextMsgId()}</MsgId></xml>`),
    ];
    for (const request of bodies) {
      const { result, lines } = await logsDuring(h, () => h.wecom.send(request));
      expect(result.status).toBe(400);
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatchObject({ level: WARN, msg: expect.stringMatching(/^callback refused: /) });
      expect(JSON.stringify(lines[0])).not.toMatch(/stack|at .*\.js/);
    }
    expect(h.bot.contexts).toHaveLength(0);
  });

  it('refuses an envelope whose elements are not plain text, or that has stray content, with 400', async () => {
    const h = await start();
    const good = h.wecom.prepare(text(h, 'x'));
    const encrypt = /<Encrypt><!\[CDATA\[([^\]]+)/.exec(good.body)![1]!;
    const broken = [
      `<xml><Encrypt><![CDATA[${encrypt}]]></Encrypt><AgentID><x>1</x></AgentID></xml>`,
      `<xml><Encrypt><![CDATA[${encrypt}]]></Encrypt><Encrypt>again</Encrypt></xml>`,
      `<xml><Encrypt><![CDATA[${encrypt}]]></Encrypt></xml><xml/>`,
      `<xml><Encrypt><![CDATA[${encrypt}]]></Encrypt></other>`,
      `<xml><!-- hi --><Encrypt><![CDATA[${encrypt}]]></Encrypt></xml>`,
      `<xml>${'<Junk>1</Junk>'.repeat(100)}<Encrypt><![CDATA[${encrypt}]]></Encrypt></xml>`,
    ];
    for (const body of broken) expect({ body, status: (await h.wecom.send({ url: good.url, body })).status }).toEqual({ body, status: 400 });
    // The same ciphertext in a well-formed envelope (declaration, whitespace, any order) is accepted.
    const fine = `<?xml version="1.0" encoding="UTF-8"?>\n<xml>\n  <AgentID>1000002</AgentID>\n  <Encrypt>\n    <![CDATA[${encrypt}]]>\n  </Encrypt>\n</xml>\n`;
    expect((await h.wecom.send({ url: good.url, body: fine })).status).toBe(200);
  });

  it('checks the signature before the decrypted payload is parsed: a forged payload is a 401, not a parse error', async () => {
    const h = await start();
    const forged = signedAt(h, `<xml>${nested(101, '')}</xml>`, nowSeconds(), 'NotTheToken99');
    const { result, lines } = await logsDuring(h, () => h.wecom.send(forged));
    expect(result.status).toBe(401);
    expect(lines.map((l) => l.msg)).toEqual([expect.stringMatching(/msg_signature does not match/)]);
  });
});

describe('callback timestamps', () => {
  it('refuses a captured callback replayed after the dedupe window (10 min), and one from the future, with a warn line and 403', async () => {
    const h = await start();
    for (const offset of [-11 * 60, -3600, 11 * 60]) {
      const { result, lines } = await logsDuring(h, () => h.wecom.send(signedAt(h, text(h, `replayed ${offset}`), nowSeconds() + offset)));
      expect(result.status).toBe(403);
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatchObject({ level: WARN, msg: expect.stringMatching(/timestamp is \d+ s (old|in the future).*600 s.*replay.*clock/) });
    }
    expect((await h.wecom.send(signedAt(h, text(h, 'not a number'), Number.NaN))).status).toBe(400);
    expect(h.bot.contexts).toHaveLength(0);
  });

  it("accepts timestamps within the window (WeCom's retries come within seconds; clocks differ a little)", async () => {
    const h = await start();
    for (const offset of [-9 * 60, -5, 60]) expect((await h.wecom.send(signedAt(h, text(h, `ok ${offset}`), nowSeconds() + offset))).status).toBe(200);
    await h.api.waitForSent(3);
    expect(h.bot.contexts).toHaveLength(3);
  });

  it('applies the same rule to URL verification (GET): WeCom sends a fresh timestamp', async () => {
    const h = await start();
    const token = String(h.raw.wechatcomapp_token);
    const echostr = h.wecom.crypt.encrypt('4711');
    const verifyAt = async (timestamp: number) => {
      const query = new URLSearchParams({ msg_signature: computeSignature(token, String(timestamp), '42', echostr), timestamp: String(timestamp), nonce: '42', echostr });
      return (await fetch(`${h.url}?${query}`)).status;
    };
    expect(await verifyAt(nowSeconds() - 11 * 60)).toBe(403);
    expect(await verifyAt(nowSeconds())).toBe(200);
  });
});

describe('client address (X-Forwarded-For)', () => {
  const forgedRequest = async (h: Harness, forwardedFor: string) => {
    const forged = new WecomCallbackClient({ url: h.url, token: 'SomeOtherToken1', aesKey: String(h.raw.wechatcomapp_aes_key), corpId: String(h.raw.wechatcom_corp_id) });
    const request = forged.prepare(text(h, 'x'));
    const { lines } = await logsDuring(h, () => fetch(request.url, { method: 'POST', body: request.body, headers: { 'x-forwarded-for': forwardedFor } }).then((r) => r.status));
    return lines.find((l) => String(l.msg).startsWith('callback refused'));
  };

  it('ignores a forged X-Forwarded-For by default: the log shows the peer address', async () => {
    const h = await start();
    const line = await forgedRequest(h, '203.0.113.7');
    expect(line?.ip).toMatch(/127\.0\.0\.1/);
    expect(JSON.stringify(line)).not.toContain('203.0.113.7');
  });

  it('with trust_proxy, takes the address the proxy appended (the last entry), not one the client wrote before it', async () => {
    const h = await start({ trust_proxy: true });
    expect((await forgedRequest(h, '203.0.113.7'))?.ip).toBe('203.0.113.7');
    const line = await forgedRequest(h, '198.51.100.66, 203.0.113.8');
    expect(line?.ip).toBe('203.0.113.8');
    expect(JSON.stringify(line)).not.toContain('198.51.100.66');
  });
});
