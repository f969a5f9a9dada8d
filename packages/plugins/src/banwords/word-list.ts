/** A list of banned words, matched case-insensitively, longest first so masks cover whole words. */
export class WordList {
  private readonly pattern: RegExp | undefined;

  constructor(readonly words: readonly string[]) {
    const sorted = [...new Set(words.map((w) => w.trim()).filter(Boolean))].sort((a, b) => b.length - a.length);
    this.pattern = sorted.length > 0 ? new RegExp(sorted.map(escape).join('|'), 'giu') : undefined;
  }

  /** One word per line; blank lines are skipped. */
  static parse(text: string): WordList {
    return new WordList(text.split(/\r?\n/));
  }

  contains(text: string): boolean {
    if (!this.pattern) return false;
    this.pattern.lastIndex = 0;
    return this.pattern.test(text);
  }

  /** Each banned word replaced by as many "*" as it has characters. */
  mask(text: string): string {
    return this.pattern ? text.replace(this.pattern, (word) => '*'.repeat([...word].length)) : text;
  }
}

function escape(word: string): string {
  return word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
