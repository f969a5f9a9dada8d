import type { NewsArticle, Reply } from '@wecom-bot/core';
import { NEWS_MAX_ARTICLES, type NewsArticleBody } from '../api/messages.js';
import type { PassiveMessage } from '../xml/render-passive-reply.js';
import { WECOM_TEXT_MAX_BYTES, splitUtf8 } from './split-text.js';

/** Said when an ERROR reply has no text of its own. */
export const POLITE_ERROR = '抱歉，我暂时无法回答，请稍后再试。';

/** Text parts as WeCom will show them: split to 2048 bytes, trailing blanks trimmed, empty parts dropped. */
export function textParts(content: string): string[] {
  return splitUtf8(content, WECOM_TEXT_MAX_BYTES)
    .map((part) => part.trimEnd())
    .filter((part) => part.trim() !== '');
}

/** An ERROR reply is one short message: its first part, or the polite default. */
export function errorText(content: string): string {
  return textParts(content)[0] ?? POLITE_ERROR;
}

export function newsBatches(articles: NewsArticle[]): NewsArticleBody[][] {
  const bodies = articles.map((a) => ({ title: a.title, description: a.description, url: a.url, picurl: a.picUrl }));
  const batches: NewsArticleBody[][] = [];
  for (let i = 0; i < bodies.length; i += NEWS_MAX_ARTICLES) batches.push(bodies.slice(i, i + NEWS_MAX_ARTICLES));
  return batches;
}

/**
 * The passive form of a reply, when it fits in one callback answer without an upload:
 * a single text part, or news of at most 8 articles. Otherwise undefined (send actively).
 */
export function passiveFormOf(reply: Reply): PassiveMessage | undefined {
  switch (reply.type) {
    case 'TEXT':
    case 'INFO': {
      const parts = textParts(reply.content);
      return parts.length === 1 && parts[0] !== undefined ? { msgType: 'text', content: parts[0] } : undefined;
    }
    case 'ERROR':
      return { msgType: 'text', content: errorText(reply.content) };
    case 'NEWS':
      return reply.content.length > 0 && reply.content.length <= NEWS_MAX_ARTICLES
        ? { msgType: 'news', articles: reply.content }
        : undefined;
    default:
      return undefined;
  }
}
