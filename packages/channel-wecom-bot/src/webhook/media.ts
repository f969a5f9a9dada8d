import { readLimited } from '@wecom-bot/core';
import { decryptMediaFile, type AesKey } from '@wecom-bot/wx-crypto';
import { fetchErrorName, maskUrl } from './log-safe.js';

export interface DownloadMediaOptions {
  /** Largest download accepted (the encrypted size, which bounds the plaintext). */
  maxBytes: number;
  /** Default 30 s. */
  timeoutMs?: number;
  signal?: AbortSignal;
}

export interface DownloadedMedia {
  data: Buffer;
  /** From Content-Disposition (no filename field is documented in the callback), made safe for a path. */
  filename?: string;
  /** Sniffed from the decrypted bytes for common images; the download's own type describes ciphertext. */
  mimeType?: string;
}

/**
 * Fetches an AI-bot image or file URL (valid five minutes) and decrypts it with `key`
 * (`mediaFileKey(aeskey, encodingAesKey)` from @wecom-bot/wx-crypto). Errors name the host
 * and path only: the query of a download URL may authorize it.
 */
export async function downloadMedia(url: string, key: AesKey, options: DownloadMediaOptions): Promise<DownloadedMedia> {
  const where = maskUrl(url);
  if (!/^https?:\/\//i.test(url)) throw new Error(`media URL ${where} is not http(s)`);
  const timeout = AbortSignal.timeout(options.timeoutMs ?? 30_000);
  let response: Response;
  try {
    response = await fetch(url, { signal: options.signal ? AbortSignal.any([options.signal, timeout]) : timeout });
  } catch (error) {
    throw new Error(`downloading media from ${where} failed (${fetchErrorName(error)})`);
  }
  if (!response.ok) {
    await response.body?.cancel().catch(() => undefined);
    throw new Error(`downloading media from ${where} failed: HTTP ${response.status}`);
  }
  const encrypted = await readLimited(response, options.maxBytes, `media from ${where}`);
  // An expired link may answer 200 with a JSON error rather than ciphertext (not confirmed).
  if (/json/i.test(response.headers.get('content-type') ?? '')) {
    const errcode = errcodeOf(encrypted);
    if (errcode !== undefined && errcode !== 0) throw new Error(`downloading media from ${where} failed: errcode ${errcode}`);
  }
  const data = decryptMediaFile(encrypted, key);
  return { data, filename: filenameFromContentDisposition(response.headers.get('content-disposition')), mimeType: sniffImage(data) };
}

/**
 * The file name of a Content-Disposition header: RFC 5987 `filename*=UTF-8''…` first, else
 * `filename="…"` or `filename=…`; reduced to a bare name (no directories, no control characters).
 */
export function filenameFromContentDisposition(header: string | null | undefined): string | undefined {
  if (!header) return undefined;
  const extended = /(?:^|;)\s*filename\*\s*=\s*([\w!#$%&+^`{}~-]*)'[^']*'([^;\s]+)/i.exec(header);
  if (extended) {
    const name = decodeExtended(extended[1]!, extended[2]!);
    if (name !== undefined) return safeName(name);
  }
  const plain = /(?:^|;)\s*filename\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^;\s]+))/i.exec(header);
  if (!plain) return undefined;
  const value = plain[1] !== undefined ? plain[1].replace(/\\(.)/g, '$1') : plain[2]!;
  return safeName(latin1AsUtf8(value));
}

function decodeExtended(charset: string, encoded: string): string | undefined {
  try {
    if (/^utf-8$/i.test(charset)) return decodeURIComponent(encoded);
    // RFC 5987 allows only UTF-8 and ISO-8859-1; a byte of the latter is its code point.
    return encoded.replace(/%([0-9a-f]{2})/gi, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16)));
  } catch {
    return undefined;
  }
}

const STRICT_UTF8 = new TextDecoder('utf-8', { fatal: true });

/** fetch hands header bytes over as Latin-1; servers that put raw UTF-8 in filename= mean UTF-8. */
function latin1AsUtf8(value: string): string {
  if (!/[\x80-\xff]/.test(value) || /[^\x00-\xff]/.test(value)) return value;
  try {
    return STRICT_UTF8.decode(Buffer.from(value, 'latin1'));
  } catch {
    return value;
  }
}

function safeName(name: string): string | undefined {
  const base = (name.split(/[/\\]/).pop() ?? '').replace(/[\x00-\x1f\x7f]/g, '').trim();
  if (base === '' || base === '.' || base === '..') return undefined;
  return base.length > 200 ? base.slice(base.length - 200) : base;
}

function sniffImage(data: Buffer): string | undefined {
  if (data.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'image/png';
  if (data[0] === 0xff && data[1] === 0xd8 && data[2] === 0xff) return 'image/jpeg';
  if (data.subarray(0, 4).toString('latin1') === 'GIF8') return 'image/gif';
  if (data.subarray(0, 4).toString('latin1') === 'RIFF' && data.subarray(8, 12).toString('latin1') === 'WEBP') return 'image/webp';
  return undefined;
}

function errcodeOf(body: Buffer): number | undefined {
  try {
    const value: unknown = JSON.parse(body.toString('utf8'));
    const errcode = typeof value === 'object' && value !== null ? (value as Record<string, unknown>)['errcode'] : undefined;
    return typeof errcode === 'number' ? errcode : undefined;
  } catch {
    return undefined;
  }
}
