import { readFileSync, statSync } from 'node:fs';
import { z } from '@wecom-bot/core';

/** One answer and the ways people ask for it. */
export interface FaqEntry {
  questions: string[];
  answer: string;
  /** A message containing one of these gets this answer, however it is worded. */
  keywords: string[];
}

/** `{ "question": "answer" }`, or a list of `{ questions, answer, keywords? }` for more than one wording. */
const fileSchema = z.union([
  z.record(z.string(), z.string()),
  z.array(
    z.object({
      questions: z.union([z.string(), z.array(z.string()).min(1)]),
      answer: z.string().min(1),
      keywords: z.array(z.string().min(1)).default([]),
    }),
  ),
]);

/** Reads an FAQ file; the error says what is wrong, with the file's path. */
export function parseFaq(text: string, path: string): FaqEntry[] {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new Error(`${path} is not valid JSON: ${(error as Error).message}`);
  }
  const parsed = fileSchema.safeParse(json);
  if (!parsed.success) throw new Error(`${path} is not an FAQ file: write {"question": "answer", …} or [{"questions": […], "answer": "…", "keywords": […]}]`);
  if (!Array.isArray(parsed.data)) return Object.entries(parsed.data).map(([question, answer]) => ({ questions: [question], answer, keywords: [] }));
  return parsed.data.map((e) => ({ questions: typeof e.questions === 'string' ? [e.questions] : e.questions, answer: e.answer, keywords: e.keywords }));
}

/** The file, read again whenever it changes on disk: edit the answers without a restart. */
export class FaqFile {
  private entries: FaqEntry[] = [];
  private readMtimeMs = -1;

  constructor(readonly path: string) {}

  load(): FaqEntry[] {
    const { mtimeMs } = statSync(this.path); // throws ENOENT: the bot's error names the file
    if (mtimeMs !== this.readMtimeMs) {
      this.entries = parseFaq(readFileSync(this.path, 'utf8'), this.path);
      this.readMtimeMs = mtimeMs;
    }
    return this.entries;
  }
}

/**
 * The best answer for `message` with its score (0..1): 1 for a keyword it contains or a
 * question it equals (ignoring case, spaces and punctuation), else how alike it is to the
 * closest question (Dice coefficient of words, and of character pairs for Chinese).
 */
export function bestMatch(entries: readonly FaqEntry[], message: string): { entry: FaqEntry; score: number } | undefined {
  const text = normalize(message);
  if (text === '') return undefined;
  const tokens = tokenize(text);
  // Keywords match without spaces, so "wifi" finds "Wi-Fi" and "wi fi".
  const compact = text.replaceAll(' ', '');
  let best: { entry: FaqEntry; score: number } | undefined;
  for (const entry of entries) {
    const keyword = entry.keywords.some((k) => normalize(k) !== '' && compact.includes(normalize(k).replaceAll(' ', '')));
    const score = keyword ? 1 : Math.max(...entry.questions.map((q) => (normalize(q) === text ? 1 : dice(tokens, tokenize(normalize(q))))));
    if (!best || score > best.score) best = { entry, score };
  }
  return best;
}

/** Lower case, full-width folded (NFKC), punctuation and spaces down to single spaces. */
export function normalize(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\p{P}\p{S}\s]+/gu, ' ')
    .trim();
}

/** Latin words as they are; Chinese (no spaces between words) as overlapping character pairs. */
function tokenize(text: string): Set<string> {
  const tokens = new Set<string>();
  for (const word of text.split(' ')) {
    for (const run of word.split(/([\p{Script=Han}]+)/u)) {
      if (run === '') continue;
      if (!/\p{Script=Han}/u.test(run)) tokens.add(run);
      else if (run.length === 1) tokens.add(run);
      else for (let i = 0; i < run.length - 1; i += 1) tokens.add(run.slice(i, i + 2));
    }
  }
  return tokens;
}

function dice(a: Set<string>, b: Set<string>): number {
  if (a.size === 0 || b.size === 0) return 0;
  let shared = 0;
  for (const token of a) if (b.has(token)) shared += 1;
  return (2 * shared) / (a.size + b.size);
}
