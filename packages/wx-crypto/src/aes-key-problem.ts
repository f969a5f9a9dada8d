/** What an EncodingAESKey is made of: 43 characters of standard base64, no padding. */
const KEY_LENGTH = 43;
const KEY_CHAR = /[A-Za-z0-9+/]/;

/**
 * What is wrong with an EncodingAESKey, in words an admin can act on, or undefined when it
 * has the right form. The key is a secret: the message names a bad character and where it is,
 * never the key. Surrounding whitespace is left to the config loader, which reports it for
 * every copied value; here the key is judged without it, so no length contradicts the count.
 */
export function describeAesKeyProblem(name: string, value: string): string | undefined {
  const key = value.trim();
  if (key === '') return undefined;
  const copyAgain = 'copy it again from the console (the 43 characters, nothing more)';
  for (let i = 0; i < key.length; i++) {
    const ch = key[i]!;
    if (KEY_CHAR.test(ch)) continue;
    if (ch === '=' && i === key.length - 1 && key.length === KEY_LENGTH + 1) {
      return `${name} ends with "=": the EncodingAESKey is the ${KEY_LENGTH} characters without it; remove the "="`;
    }
    return `${name} has ${describeChar(ch)} at position ${i + 1} of ${key.length}: an EncodingAESKey holds only letters, digits, "+" and "/"; ${copyAgain}`;
  }
  if (key.length !== KEY_LENGTH) {
    return `${name} is ${key.length} characters long; an EncodingAESKey has exactly ${KEY_LENGTH}: ${key.length < KEY_LENGTH ? 'part of it is missing' : 'something was added'}; ${copyAgain}`;
  }
  return undefined;
}

function describeChar(ch: string): string {
  if (ch === ' ') return 'a space';
  if (ch === '\t') return 'a tab';
  if (ch === '\n' || ch === '\r') return 'a line break';
  if (/\s/.test(ch)) return 'a whitespace character';
  if (ch === '-' || ch === '_') return `"${ch}" (base64url, not the console's base64)`;
  return `the character ${JSON.stringify(ch)}`;
}
