import { hash, timingSafeEqual } from 'node:crypto';
import { WxCryptoError } from './errors.js';

/**
 * msg_signature = hex(SHA-1(sort([token, timestamp, nonce, encrypted]).join(''))).
 * The reference SDKs sort plain strings; for the ASCII values WeCom sends, code-unit order and
 * byte order agree.
 */
export function computeSignature(
  token: string,
  timestamp: string,
  nonce: string,
  encrypted: string,
): string {
  const parts: unknown[] = [token, timestamp, nonce, encrypted];
  if (!parts.every((p) => typeof p === 'string')) {
    throw new WxCryptoError(
      'ComputeSignatureError',
      'cannot compute msg_signature: token, timestamp, nonce and ciphertext must all be strings',
    );
  }
  // One-shot: a Hash object per callback cost more than the hashing.
  return hash('sha1', sortedJoin(parts as string[]), 'hex');
}

/** The strings in code-unit order, joined: an insertion sort, as Array#sort costs more for four. */
function sortedJoin(parts: string[]): string {
  for (let i = 1; i < parts.length; i++) {
    const part = parts[i]!;
    let j = i;
    for (; j > 0 && parts[j - 1]! > part; j--) parts[j] = parts[j - 1]!;
    parts[j] = part;
  }
  return parts.join('');
}

/**
 * Constant-time check of a received msg_signature. Only its length can end the comparison
 * early, and that is public (a SHA-1 is always 40 hex digits). A missing (non-string)
 * parameter is simply a mismatch.
 */
export function verifySignature(
  expected: string,
  token: string,
  timestamp: string,
  nonce: string,
  encrypted: string,
): boolean {
  const inputs: unknown[] = [expected, token, timestamp, nonce, encrypted];
  if (!inputs.every((p) => typeof p === 'string')) return false;
  const actual = computeSignature(token, timestamp, nonce, encrypted);
  if (expected.length !== actual.length) return false;
  // Hex is case-insensitive; the SDKs emit lower case.
  return timingSafeEqual(Buffer.from(actual, 'latin1'), Buffer.from(expected.toLowerCase(), 'latin1'));
}
