/**
 * The least a correct WeCom callback server must do, by hand with node:http and node:crypto:
 * bounded body, signature check, timestamp window, AES-256-CBC decrypt with WeCom's 32-byte
 * padding, corp id check, dedupe by MsgId for 10 minutes, empty 200. No framework, no logging,
 * no durable record: a reference ceiling for bench/wecom-callback.ts, not a product.
 */
import { createDecipheriv, createHash, timingSafeEqual } from 'node:crypto';
import { createServer, type Server } from 'node:http';

const WINDOW_S = 600;
const MAX_BODY = 64 * 1024;

export function createMinimalCallbackServer(keys: { token: string; aesKey: string; corpId: string }): Server {
  const key = Buffer.from(`${keys.aesKey}=`, 'base64');
  const iv = key.subarray(0, 16);
  const seen = new Map<string, number>(); // MsgId → expiry (ms), in insertion order

  const decrypt = (encrypt: string): string | undefined => {
    const decipher = createDecipheriv('aes-256-cbc', key, iv);
    decipher.setAutoPadding(false);
    const padded = Buffer.concat([decipher.update(encrypt, 'base64'), decipher.final()]);
    const pad = padded[padded.length - 1]!;
    if (pad < 1 || pad > 32) return undefined;
    const plain = padded.subarray(0, padded.length - pad);
    const length = plain.readUInt32BE(16);
    if (20 + length > plain.length) return undefined;
    if (plain.subarray(20 + length).toString('utf8') !== keys.corpId) return undefined;
    return plain.subarray(20, 20 + length).toString('utf8');
  };

  const firstTime = (msgId: string, now: number): boolean => {
    for (const [id, expires] of seen) {
      if (expires > now) break;
      seen.delete(id);
    }
    if (seen.has(msgId)) return false;
    seen.set(msgId, now + WINDOW_S * 1000);
    return true;
  };

  return createServer((req, res) => {
    const answer = (status: number) => {
      res.statusCode = status;
      res.end('');
    };
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY) req.destroy();
      else chunks.push(chunk);
    });
    req.on('end', () => {
      const query = new URLSearchParams((req.url ?? '').split('?')[1] ?? '');
      const timestamp = query.get('timestamp') ?? '';
      const nonce = query.get('nonce') ?? '';
      const signature = Buffer.from(query.get('msg_signature') ?? '');
      const encrypt = /<Encrypt><!\[CDATA\[([^\]]*)\]\]><\/Encrypt>/.exec(Buffer.concat(chunks).toString('utf8'))?.[1];
      if (!encrypt || !/^\d{1,12}$/.test(timestamp)) return answer(400);
      const expected = Buffer.from(createHash('sha1').update([keys.token, timestamp, nonce, encrypt].sort().join('')).digest('hex'));
      if (signature.length !== expected.length || !timingSafeEqual(signature, expected)) return answer(403);
      const now = Date.now();
      if (Math.abs(Math.round(now / 1000) - Number(timestamp)) > WINDOW_S) return answer(403);
      const xml = decrypt(encrypt);
      if (xml === undefined) return answer(400);
      const msgId = /<MsgId>(?:<!\[CDATA\[)?(\d+)/.exec(xml)?.[1] ?? /<FromUserName><!\[CDATA\[([^\]]*)/.exec(xml)?.[1] ?? '';
      firstTime(msgId, now); // a repeat is acknowledged and not handed on (nothing is handed on here)
      answer(200);
    });
  });
}
