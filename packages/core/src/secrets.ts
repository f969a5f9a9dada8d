/**
 * Values that must never be printed: config secrets, and tokens learned at run time
 * (access tokens). The logger scrubs every line through `redact`, so a secret passed
 * by mistake in a message or an error is masked too.
 */
export class SecretRegistry {
  private readonly values = new Set<string>();
  private pattern: RegExp | undefined;

  add(value: unknown): void {
    // Very short values would mask ordinary words; real secrets are long.
    if (typeof value !== 'string' || value.length < 6 || this.values.has(value)) return;
    // Also the forms a log line carries it in: escaped inside a JSON string (a password with
    // " or \), and percent-encoded in a URL or form body.
    for (const form of [value, JSON.stringify(value).slice(1, -1), encodeURIComponent(value)]) this.values.add(form);
    this.pattern = undefined;
  }

  redact(text: string): string {
    if (this.values.size === 0) return text;
    this.pattern ??= new RegExp(
      [...this.values]
        .sort((a, b) => b.length - a.length)
        .map((v) => v.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
        .join('|'),
      'g',
    );
    return text.replace(this.pattern, mask);
  }
}

function mask(secret: string): string {
  return `${secret.slice(0, 2)}***`;
}
