import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { bestMatch, normalize, parseFaq } from './faq.js';

const examplePath = fileURLToPath(new URL('../faq.example.json', import.meta.url));
const entries = parseFaq(readFileSync(examplePath, 'utf8'), examplePath);
/** The first characters of the answer the bot would give, if any. */
const answerTo = (message: string) => {
  const match = bestMatch(entries, message);
  return match && match.score >= 0.5 ? match.entry.answer.slice(0, 4) : undefined;
};

describe('FAQ matching', () => {
  it('finds the answer however the question is worded, in Chinese and English', () => {
    expect(answerTo('年假有几天')).toBe('入职满一');
    expect(answerTo('我的年假有几天呀？')).toBe('入职满一');
    expect(answerTo('how many days of annual leave')).toBe('入职满一');
    expect(answerTo('差旅费怎么报销')).toBe('在企业微');
  });

  it('answers a message containing a keyword, spaces and punctuation aside', () => {
    expect(answerTo('会议室连不上 Wi-Fi')).toBe('访客网络');
    expect(answerTo('无线网怎么连')).toBe('访客网络');
  });

  it('finds nothing close for an unrelated question', () => {
    expect(answerTo('今天食堂吃什么')).toBeUndefined();
    expect(bestMatch(entries, '？？？')).toBeUndefined();
  });

  it('reads the short form {"question": "answer"}', () => {
    expect(parseFaq('{"VPN 怎么连？": "用 OpenVPN 客户端。"}', 'faq.json')).toEqual([{ questions: ['VPN 怎么连？'], answer: '用 OpenVPN 客户端。', keywords: [] }]);
  });

  it('says what is wrong with a broken file, naming it', () => {
    expect(() => parseFaq('{"a": ', '/srv/faq.json')).toThrow(/^\/srv\/faq.json is not valid JSON/);
    expect(() => parseFaq('[{"answer": "no questions"}]', '/srv/faq.json')).toThrow(/is not an FAQ file: write/);
  });

  it('normalizes case, full-width forms and punctuation', () => {
    expect(normalize('  ＶＰＮ，怎么连？ ')).toBe('vpn 怎么连');
  });
});
