import { isTextual, type NewsArticle, type Reply } from '@wecom-bot/core';

/** A reply as the JSON answer carries it: text as text, media as base64. */
export type JsonReply =
  | { type: Reply['type']; content: string }
  | { type: 'NEWS'; content: NewsArticle[] }
  | { type: 'IMAGE' | 'VOICE' | 'VIDEO' | 'FILE'; content: { filename: string; mimeType?: string; base64: string } };

/** Every reply fits an HTTP answer, so the reply window takes them all. */
export function toJsonReply(reply: Reply): JsonReply {
  if (isTextual(reply)) return { type: reply.type, content: reply.content };
  if (reply.type === 'NEWS') return { type: reply.type, content: reply.content };
  const { filename, mimeType, data } = reply.content;
  return { type: reply.type, content: { filename, mimeType, base64: data.toString('base64') } };
}

/** The answer's text for the simplest client: the text replies, a blank line apart. */
export function joinedText(replies: readonly JsonReply[]): string {
  const texts = replies.flatMap((r) => (r.type !== 'IMAGE_URL' && typeof r.content === 'string' ? [r.content] : []));
  return texts.join('\n\n');
}
