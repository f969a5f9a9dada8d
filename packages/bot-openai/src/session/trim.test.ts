import { getEncoding } from 'js-tiktoken';
import { describe, expect, it } from 'vitest';
import { encodingForModel, tokenCounterFor } from './tokenizer.js';
import { buildPrompt, countedTurn, turnTokens } from './trim.js';

describe('tokenizer choice', () => {
  it('maps models to their tiktoken encoding, unknown ones to cl100k_base', () => {
    for (const model of ['gpt-4o', 'gpt-4o-mini', 'chatgpt-4o-latest', 'gpt-4.1-nano', 'o3-mini', 'o1', 'gpt-5', 'openai/gpt-4o']) expect(encodingForModel(model), model).toBe('o200k_base');
    for (const model of ['gpt-4', 'gpt-4-turbo', 'gpt-3.5-turbo', 'deepseek-chat', 'qwen-plus', 'llama3.1:8b', '']) expect(encodingForModel(model), model).toBe('cl100k_base');
  });

  it('counts like tiktoken, treats special-token text as plain text', async () => {
    const counter = await tokenCounterFor('gpt-4');
    const text = '你好 <|endoftext|> world';
    expect(counter.message('user', text)).toBe(3 + 1 + getEncoding('cl100k_base').encode(text, [], []).length);
  });
});

describe('stored token counts', () => {
  it('are reused in the same encoding and recounted after a model change', async () => {
    const o200k = await tokenCounterFor('gpt-4o');
    const cl100k = await tokenCounterFor('gpt-4');
    const turn = countedTurn('长一点的中文问题，关于天气', 'a fairly long english answer about the weather', o200k);
    expect(turn.encoding).toBe('o200k_base');
    expect(turnTokens({ ...turn, tokens: 1 }, o200k)).toBe(1);
    expect(turnTokens(turn, cl100k)).toBe(cl100k.message('user', turn.user) + cl100k.message('assistant', turn.assistant));
  });

  it('trim by the stored counts: a turn marked huge is dropped, the newest fitting ones kept', async () => {
    const counter = await tokenCounterFor('gpt-4o');
    const turns = [countedTurn('old', 'answer', counter), { ...countedTurn('huge', 'answer', counter), tokens: 10_000 }, countedTurn('new', 'answer', counter)];
    const prompt = buildPrompt('sys', turns, 'q', 200, counter);
    expect(prompt.kept.map((t) => t.user)).toEqual(['new']);
    expect(prompt.messages.map((m) => m.content)).toEqual(['sys', 'new', 'answer', 'q']);
  });
});
