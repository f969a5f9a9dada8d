export type EncodingName = 'o200k_base' | 'cl100k_base';

/**
 * The tiktoken encoding of a model. Names may carry a provider prefix ("openai/gpt-4o").
 * Unknown models (DeepSeek, Qwen, Llama behind a compatible API) get cl100k_base: their
 * own tokenizers are not in JS, and cl100k counts Chinese text a little high, so the
 * history is trimmed early rather than overflowing the model's context.
 */
export function encodingForModel(model: string): EncodingName {
  const name = model.toLowerCase().split('/').pop() ?? '';
  if (/^(gpt-4o|chatgpt-4o|gpt-4\.1|gpt-4\.5|gpt-5|gpt-oss|o\d)/.test(name)) return 'o200k_base';
  return 'cl100k_base';
}

/** What the counter needs of an encoding module of gpt-tokenizer. */
interface Encoding {
  countTokens(text: string, options: { disallowedSpecial: Set<string> }): number;
}

const loaded = new Map<EncodingName, Promise<Encoding>>();

/**
 * Loads an encoding once, and only those in use (o200k is ~35 MB of heap). gpt-tokenizer
 * rather than js-tiktoken: the latter's merge is quadratic in a run of text without spaces or
 * punctuation (4,000 Chinese characters took 10 s, blocking every chat); see bench/openai-bot.ts.
 */
export function loadEncoding(name: EncodingName): Promise<Encoding> {
  let encoding = loaded.get(name);
  if (!encoding) {
    encoding = name === 'o200k_base' ? import('gpt-tokenizer/encoding/o200k_base') : import('gpt-tokenizer/encoding/cl100k_base');
    // A failed load (a broken install) is tried again on the next message, not remembered.
    void encoding.catch(() => loaded.delete(name));
    loaded.set(name, encoding);
  }
  return encoding;
}

export interface TokenCounter {
  readonly encoding: EncodingName;
  /** Tokens of one chat message, with the per-message overhead of the chat format. */
  message(role: string, content: string): number;
  /** Tokens every request adds once (the primed assistant reply). */
  readonly perRequest: number;
}

/**
 * Counts as OpenAI's cookbook does for chat models: 3 tokens of framing per message plus
 * its role and content, and 3 for the reply primer.
 */
export async function tokenCounterFor(model: string): Promise<TokenCounter> {
  const name = encodingForModel(model);
  const encoding = await loadEncoding(name);
  // No special-token check: a user typing "<|endoftext|>" is ordinary text to us.
  const plain = { disallowedSpecial: new Set<string>() };
  const count = (text: string) => encoding.countTokens(text, plain);
  return { encoding: name, message: (role, content) => 3 + count(role) + count(content), perRequest: 3 };
}
