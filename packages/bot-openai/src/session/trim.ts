import type { TokenCounter } from './tokenizer.js';
import type { Turn } from './history.js';

export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

export interface Prompt {
  messages: ChatMessage[];
  /** The turns that fit, oldest first: what the session keeps if this exchange succeeds. */
  kept: Turn[];
  tokens: number;
}

/**
 * The messages for one request: the system prompt, as many of the latest turns as fit in
 * `maxTokens`, and the new question. Oldest turns go first; the system prompt and the
 * question always stay, even when they alone exceed the budget.
 */
export function buildPrompt(system: string, turns: readonly Turn[], question: string, maxTokens: number, counter: TokenCounter): Prompt {
  const head: ChatMessage[] = system ? [{ role: 'system', content: system }] : [];
  const fixed = counter.perRequest + head.reduce((n, m) => n + counter.message(m.role, m.content), 0) + counter.message('user', question);
  let tokens = fixed;
  let first = turns.length;
  // Walk back from the newest turn while it still fits.
  while (first > 0) {
    const turn = turns[first - 1]!;
    const cost = turnTokens(turn, counter);
    if (tokens + cost > maxTokens) break;
    tokens += cost;
    first -= 1;
  }
  const kept = turns.slice(first);
  const messages: ChatMessage[] = [
    ...head,
    ...kept.flatMap((t): ChatMessage[] => [{ role: 'user', content: t.user }, { role: 'assistant', content: t.assistant }]),
    { role: 'user', content: question },
  ];
  return { messages, kept, tokens };
}

/** A turn's token count: the stored one when it was counted in this encoding, else counted now. */
export function turnTokens(turn: Turn, counter: TokenCounter): number {
  if (turn.tokens !== undefined && turn.encoding === counter.encoding) return turn.tokens;
  return counter.message('user', turn.user) + counter.message('assistant', turn.assistant);
}

/** A finished exchange with its token count, ready to store. */
export function countedTurn(user: string, assistant: string, counter: TokenCounter): Turn {
  const turn: Turn = { user, assistant };
  return { ...turn, tokens: turnTokens(turn, counter), encoding: counter.encoding };
}
