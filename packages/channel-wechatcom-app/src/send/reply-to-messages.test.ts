import { errorReply, textReply, type NewsArticle } from '@wecom-bot/core';
import { describe, expect, it } from 'vitest';
import { POLITE_ERROR, passiveFormOf, textParts, writtenAs } from './reply-to-messages.js';

const news = (n: number): NewsArticle[] => Array.from({ length: n }, (_, i) => ({ title: `t${i}`, url: `https://example.com/${i}` }));

describe('passiveFormOf: what a passive reply can carry', () => {
  it('takes text that is exactly one part, trailing blanks trimmed', () => {
    expect(passiveFormOf(textReply('你好\n\n'))).toEqual({ msgType: 'text', content: '你好' });
    expect(passiveFormOf(textReply('a'.repeat(2048)))).toEqual({ msgType: 'text', content: 'a'.repeat(2048) });
  });

  it('refuses text that needs two parts, or none; those go out actively', () => {
    const long = '字'.repeat(683); // 2049 bytes
    expect(passiveFormOf(textReply(long))).toBeUndefined();
    expect(textParts(long)).toHaveLength(2);
    expect(passiveFormOf(textReply('  \n'))).toBeUndefined();
    expect(textParts('  \n')).toEqual([]);
  });

  it('answers an error with one short text, and news of at most 8 articles', () => {
    expect(passiveFormOf(errorReply(''))).toEqual({ msgType: 'text', content: POLITE_ERROR });
    expect(passiveFormOf({ type: 'NEWS', content: news(8) })).toMatchObject({ msgType: 'news' });
    expect(passiveFormOf({ type: 'NEWS', content: news(9) })).toBeUndefined();
  });
});

describe('reply format: text (default) or markdown', () => {
  it('renders TEXT and MARKDOWN replies to plain text by default, so they can go back passively', () => {
    expect(passiveFormOf(textReply('**你好**'))).toEqual({ msgType: 'text', content: '你好' });
    expect(passiveFormOf({ type: 'MARKDOWN', content: '# 标题\n\n- 一' })).toEqual({ msgType: 'text', content: '标题\n\n• 一' });
    expect(writtenAs('**hi**', 'text')).toEqual({ msgType: 'text', content: 'hi' });
  });

  it('keeps INFO and ERROR as written: plugins and commands write plain text', () => {
    expect(passiveFormOf({ type: 'INFO', content: '#help *all*' })).toEqual({ msgType: 'text', content: '#help *all*' });
    expect(passiveFormOf(errorReply('**x**'))).toEqual({ msgType: 'text', content: '**x**' });
  });

  it('under "markdown" keeps the Markdown and never answers passively (WeCom has no passive markdown)', () => {
    expect(writtenAs('**hi**', 'markdown')).toEqual({ msgType: 'markdown', content: '**hi**' });
    expect(passiveFormOf(textReply('**hi**'), 'markdown')).toBeUndefined();
    expect(passiveFormOf({ type: 'MARKDOWN', content: '**hi**' }, 'markdown')).toBeUndefined();
    expect(passiveFormOf({ type: 'INFO', content: 'ok' }, 'markdown')).toEqual({ msgType: 'text', content: 'ok' });
  });
});
