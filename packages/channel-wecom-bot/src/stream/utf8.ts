/** The longest prefix of `text` within `maxBytes` of UTF-8, cut between characters; and the rest. */
export function cutUtf8(text: string, maxBytes: number): [string, string] {
  if (Buffer.byteLength(text) <= maxBytes) return [text, ''];
  let bytes = 0;
  let end = 0;
  for (const char of text) {
    const size = Buffer.byteLength(char);
    if (bytes + size > maxBytes) break;
    bytes += size;
    end += char.length;
  }
  return [text.slice(0, end), text.slice(end)];
}

/** `text` in parts of at most `maxBytes` each, in order. */
export function splitUtf8(text: string, maxBytes: number): string[] {
  const parts: string[] = [];
  let rest = text;
  while (rest !== '') {
    const [head, tail] = cutUtf8(rest, maxBytes);
    parts.push(head);
    rest = tail;
  }
  return parts;
}
