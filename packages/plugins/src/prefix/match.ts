/**
 * The first prefix `text` starts with; an empty list matches nothing. A "" prefix matches
 * every text, as in chatgpt-on-wechat, whose configs say `[""]` for "answer everything".
 */
export function matchPrefix(text: string, prefixes: readonly string[]): string | undefined {
  return prefixes.find((p) => text.startsWith(p));
}

export function containsAny(text: string, words: readonly string[]): boolean {
  return words.some((w) => w !== '' && text.includes(w));
}

/** `text` without `prefix` and the blanks after it. */
export function stripPrefix(text: string, prefix: string): string {
  return text.slice(prefix.length).trim();
}
