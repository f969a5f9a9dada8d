import { getEncoding } from 'js-tiktoken';
import { describe, expect, it } from 'vitest';
import { encodingForModel, tokenCounterFor } from './tokenizer.js';
import { buildPrompt, countedTurn, turnTokens } from './trim.js';

describe('tokenizer choice', () => {
  it('maps models to their tiktoken encoding, unknown ones to cl100k_base', () => {
    for (const model of ['gpt-4o', 'gpt-4o-mini', 'chatgpt-4o-latest', 'gpt-4.1-nano', 'o3-mini', 'o1', 'gpt-5', 'openai/gpt-4o']) expect(encodingForModel(model), model).toBe('o200k_base');
    for (const model of ['gpt-4', 'gpt-4-turbo', 'gpt-3.5-turbo', 'deepseek-chat', 'qwen-plus', 'llama3.1:8b', '']) expect(encodingForModel(model), model).toBe('cl100k_base');
  });

  it('counts as the reference tiktoken port does, in both encodings, for Chinese, English and long unbroken runs', async () => {
    const texts = ['你好，今天天气怎么样？', 'The quick brown fox, 2024-05-01.', '这是一个很长的中文句子没有空格'.repeat(20), 'x'.repeat(500)];
    for (const [model, name] of [['gpt-4o', 'o200k_base'], ['gpt-4', 'cl100k_base']] as const) {
      const counter = await tokenCounterFor(model);
      const reference = getEncoding(name);
      for (const text of texts) expect(counter.message('user', text), `${name}: ${text.slice(0, 12)}`).toBe(3 + 1 + reference.encode(text, [], []).length);
    }
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
