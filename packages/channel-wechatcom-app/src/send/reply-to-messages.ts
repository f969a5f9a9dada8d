import type { NewsArticle, Reply } from '@wecom-bot/core';
import { NEWS_MAX_ARTICLES, type NewsArticleBody } from '../api/messages.js';
import type { PassiveMessage } from '../xml/render-passive-reply.js';
import { markdownToText } from './markdown-to-text.js';
import { WECOM_TEXT_MAX_BYTES, splitUtf8 } from './split-text.js';

/** `wechatcomapp_reply_format`: how TEXT and MARKDOWN replies are written. */
export type ReplyFormat = 'text' | 'markdown';

/**
 * A TEXT or MARKDOWN reply's content as it will be sent: Markdown rendered to plain text
 * ("text", readable in every client), or WeCom markdown as the bot wrote it ("markdown").
 * Split afterwards, once, by `textParts`, so the 2048-byte limit applies to what is shown.
 */
export function writtenAs(content: string, format: ReplyFormat): { msgType: 'text' | 'markdown'; content: string } {
  return format === 'markdown' ? { msgType: 'markdown', content } : { msgType: 'text', content: markdownToText(content) };
}

/** Said when an ERROR reply has no text of its own. */
export const POLITE_ERROR = '抱歉，我暂时无法回答，请稍后再试。';

/**
 * The text as one WeCom message, trailing blanks trimmed, when it fits in one (≤ 2048 bytes,
 * not blank); undefined when it needs splitting. Measured, not split: this is all the passive
 * form needs, so a reply's text is split at most once, when it is sent actively.
 */
export function singlePart(content: string): string | undefined {
  const part = content.trimEnd();
  return part !== '' && Buffer.byteLength(part, 'utf8') <= WECOM_TEXT_MAX_BYTES ? part : undefined;
}

/** Text parts as WeCom will show them: split to 2048 bytes, trailing blanks trimmed, empty parts dropped. */
export function textParts(content: string): string[] {
  const whole = singlePart(content);
  if (whole !== undefined) return [whole];
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
 * The passive form of a reply (the WeCom channel's reply window `fit`), when it fits in one
 * callback answer without an upload: text that is exactly one part, or news of at most 8
 * articles. Otherwise undefined: the reply is sent actively. WeCom has no passive markdown
 * reply, so under the "markdown" format TEXT and MARKDOWN replies always go out actively.
 */
export function passiveFormOf(reply: Reply, format: ReplyFormat = 'text'): PassiveMessage | undefined {
  switch (reply.type) {
    case 'TEXT':
    case 'MARKDOWN': {
      const written = writtenAs(reply.content, format);
      return written.msgType === 'text' ? passiveText(written.content) : undefined;
    }
    case 'INFO':
      // Written by plugins and commands as plain text, so shown as written.
      return passiveText(reply.content);
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

function passiveText(content: string): PassiveMessage | undefined {
  const part = singlePart(content);
  return part === undefined ? undefined : { msgType: 'text', content: part };
}
