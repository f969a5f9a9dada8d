import { Tiktoken } from 'js-tiktoken/lite';

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

const loaded = new Map<EncodingName, Promise<Tiktoken>>();

/** Loads the ranks of an encoding once (they are megabytes, so only those in use). */
export function loadEncoding(name: EncodingName): Promise<Tiktoken> {
  let encoding = loaded.get(name);
  if (!encoding) {
    encoding = (name === 'o200k_base' ? import('js-tiktoken/ranks/o200k_base') : import('js-tiktoken/ranks/cl100k_base')).then(
      (ranks) => new Tiktoken(ranks.default),
    );
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
  const count = (text: string) => encoding.encode(text, [], []).length;
  return { encoding: name, message: (role, content) => 3 + count(role) + count(content), perRequest: 3 };
}
