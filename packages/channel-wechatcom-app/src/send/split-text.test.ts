import { describe, expect, it } from 'vitest';
import { splitUtf8 } from './split-text.js';

const bytes = (s: string) => Buffer.byteLength(s, 'utf8');

describe('splitUtf8', () => {
  it('returns short text whole', () => {
    expect(splitUtf8('hello')).toEqual(['hello']);
    expect(splitUtf8('')).toEqual([]);
  });

  it('cuts at the last line end that fits, keeping every byte in order', () => {
    const lines = Array.from({ length: 200 }, (_, i) => `line ${i}: ${'x'.repeat(i % 37)}`);
    const text = lines.join('\n');
    const parts = splitUtf8(text, 2048);
    expect(parts.length).toBeGreaterThan(1);
    expect(parts.join('')).toBe(text);
    for (const part of parts) expect(bytes(part)).toBeLessThanOrEqual(2048);
    for (const part of parts.slice(0, -1)) expect(part.endsWith('\n')).toBe(true);
  });

  it('never cuts inside a multi-byte character: Chinese (3 bytes) and emoji (4 bytes, surrogate pairs)', () => {
    const text = '你好世界😀'.repeat(1000);
    const parts = splitUtf8(text, 2048);
    expect(parts.join('')).toBe(text);
    for (const part of parts) {
      expect(bytes(part)).toBeLessThanOrEqual(2048);
      expect(Buffer.from(part, 'utf8').toString('utf8')).toBe(part);
      expect(part).not.toMatch(/\uFFFD/);
      expect(/[\uD800-\uDBFF]$/.test(part)).toBe(false);
    }
    // Tight packing: each part but the last leaves less than one character free.
    for (const part of parts.slice(0, -1)) expect(2048 - bytes(part)).toBeLessThan(4);
  });

  it('falls back to a space when a line is longer than the limit', () => {
    const text = `${'word '.repeat(600)}end`;
    const parts = splitUtf8(text, 2048);
    expect(parts[0]?.endsWith(' ')).toBe(true);
    expect(parts.join('')).toBe(text);
  });
});
