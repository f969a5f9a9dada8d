import { createServer, type Server, type ServerResponse } from 'node:http';
import { createServer as createNetServer, type AddressInfo } from 'node:net';
import { encryptMediaFile, mediaFileKey, WxCryptoError } from '@wecom-bot/wx-crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { downloadMedia, filenameFromContentDisposition } from './media.js';

const ENCODING_AES_KEY = 'kVZ3u0Xvy1m3ZnqGf9dZ0rQ5cH7bS2wE4aL6tY8pN1x';
const botKey = mediaFileKey(undefined, ENCODING_AES_KEY);
const PER_MESSAGE = Buffer.from(Array.from({ length: 32 }, (_, i) => 255 - i)).toString('base64');
const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(300, 9)]);
const PDF = Buffer.from('%PDF-1.4\n'.repeat(100));

// Routes of a fake WeCom media host: bytes encrypted here, the way the platform serves them.
const routes: Record<string, (res: ServerResponse) => void> = {
  '/image': (res) => res.end(encryptMediaFile(PNG, botKey)),
  '/file-star': (res) => {
    res.setHeader('content-disposition', `attachment; filename="fallback.pdf"; filename*=UTF-8''${encodeURIComponent('季度 报告.pdf')}`);
    res.end(encryptMediaFile(PDF, mediaFileKey(PER_MESSAGE, ENCODING_AES_KEY)));
  },
  '/big': (res) => res.end(Buffer.alloc(64 * 1024)),
  '/big-chunked': (res) => {
    res.write(Buffer.alloc(40 * 1024));
    res.end(Buffer.alloc(40 * 1024));
  },
  '/expired': (res) => res.setHeader('content-type', 'application/json').end('{"errcode":42001,"errmsg":"expired"}'),
};

let server: Server;
let base: string;
beforeAll(async () => {
  server = createServer((req, res) => {
    const route = routes[(req.url ?? '').split('?')[0] ?? ''];
    if (route) route(res);
    else res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

const opts = { maxBytes: 32 * 1024, timeoutMs: 5000 };

describe('downloadMedia', () => {
  it('decrypts an image with the bot key and sniffs its type', async () => {
    const media = await downloadMedia(`${base}/image?sign=abc`, botKey, opts);
    expect(media.data.equals(PNG)).toBe(true);
    expect(media.mimeType).toBe('image/png');
    expect(media.filename).toBeUndefined();
  });

  it('decrypts a file with its per-message aeskey; the RFC 5987 name wins over filename=', async () => {
    const media = await downloadMedia(`${base}/file-star`, mediaFileKey(PER_MESSAGE, ENCODING_AES_KEY), opts);
    expect(media.data.equals(PDF)).toBe(true);
    expect(media.filename).toBe('季度 报告.pdf');
    expect(media.mimeType).toBeUndefined();
  });

  it('reads raw UTF-8 in filename="…"', async () => {
    // Raw bytes on the wire: Node's own server re-encodes non-ASCII header values inconsistently.
    const body = encryptMediaFile(PDF, botKey);
    const head = Buffer.from(`HTTP/1.1 200 OK\r\nContent-Length: ${body.length}\r\nConnection: close\r\nContent-Disposition: attachment; filename="`);
    const raw = createNetServer((socket) => socket.once('data', () => socket.end(Buffer.concat([head, Buffer.from('文件.pdf"\r\n\r\n'), body]))));
    await new Promise<void>((resolve) => raw.listen(0, '127.0.0.1', resolve));
    try {
      const media = await downloadMedia(`http://127.0.0.1:${(raw.address() as AddressInfo).port}/f`, botKey, opts);
      expect(media.filename).toBe('文件.pdf');
      expect(media.data.equals(PDF)).toBe(true);
    } finally {
      await new Promise<void>((resolve) => raw.close(() => resolve()));
    }
  });

  it('the wrong key is a WxCryptoError (bad padding)', async () => {
    const error = await downloadMedia(`${base}/image`, mediaFileKey(PER_MESSAGE, ENCODING_AES_KEY), opts).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WxCryptoError);
    expect((error as WxCryptoError).kind).toBe('DecryptAESError');
  });

  it('refuses more than maxBytes, declared or streamed', async () => {
    await expect(downloadMedia(`${base}/big`, botKey, opts)).rejects.toThrow(/65536 bytes, more than the 32768/);
    await expect(downloadMedia(`${base}/big-chunked`, botKey, opts)).rejects.toThrow(/more than the 32768 bytes/);
  });

  it('reports HTTP errors and JSON errcodes with the query masked', async () => {
    await expect(downloadMedia(`${base}/missing?token=SECRETSIG`, botKey, opts)).rejects.toThrow(/\/missing\?\*\*\* failed: HTTP 404$/);
    const error = (await downloadMedia(`${base}/expired?token=SECRETSIG`, botKey, opts).catch((e: unknown) => e)) as Error;
    expect(error.message).toContain('errcode 42001');
    expect(error.message).not.toContain('SECRETSIG');
  });
});

describe('filenameFromContentDisposition', () => {
  it.each([
    [`attachment; filename*=UTF-8''%E6%8A%A5%E5%91%8A.pdf`, '报告.pdf'],
    [`attachment; filename*=utf-8'zh'a%20b.txt`, 'a b.txt'],
    [`attachment; filename*=ISO-8859-1''caf%E9.txt`, 'café.txt'],
    ['attachment; filename="a \\"quoted\\" name.txt"', 'a "quoted" name.txt'],
    ['attachment; filename=plain.txt', 'plain.txt'],
    ['attachment; filename="../../etc/passwd"', 'passwd'],
    ['attachment; filename="C:\\\\temp\\\\x.doc"', 'x.doc'],
    ['attachment; filename=".."', undefined],
    [`attachment; filename*=UTF-8''%E0%A4`, undefined],
    ['inline', undefined],
    [null, undefined],
  ])('%s -> %s', (header, name) => {
    expect(filenameFromContentDisposition(header)).toBe(name);
  });
});
