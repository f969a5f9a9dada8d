/** WeCom's limit for text and markdown content, in UTF-8 bytes. */
export const WECOM_TEXT_MAX_BYTES = 2048;

/**
 * Splits text into parts of at most `maxBytes` UTF-8 bytes, never inside a character, cutting
 * at the last line end that fits, else the last space, else the last whole character.
 * `parts.join('')` is the original text.
 */
export function splitUtf8(text: string, maxBytes: number = WECOM_TEXT_MAX_BYTES): string[] {
  if (maxBytes < 4) throw new RangeError('maxBytes must be at least 4 (one character of any size)');
  const parts: string[] = [];
  let start = 0;
  while (start < text.length) {
    const end = cutPoint(text, start, maxBytes);
    parts.push(text.slice(start, end));
    start = end;
  }
  return parts;
}

/** Index after the last char of the part starting at `start`. */
function cutPoint(text: string, start: number, maxBytes: number): number {
  let bytes = 0;
  let i = start;
  let lastNewline = -1;
  let lastSpace = -1;
  while (i < text.length) {
    const code = text.codePointAt(i) ?? 0;
    const size = code < 0x80 ? 1 : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4;
    if (bytes + size > maxBytes) break;
    bytes += size;
    i += code >= 0x10000 ? 2 : 1;
    if (code === 0x0a) lastNewline = i;
    else if (code === 0x20 || code === 0x3000) lastSpace = i;
  }
  if (i >= text.length) return text.length;
  if (lastNewline > start) return lastNewline;
  if (lastSpace > start) return lastSpace;
  return i;
}
