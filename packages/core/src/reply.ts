/** What kind of answer a Reply carries. Channels render each the way their platform allows. */
export const ReplyType = {
  TEXT: 'TEXT',
  MARKDOWN: 'MARKDOWN',
  IMAGE: 'IMAGE',
  IMAGE_URL: 'IMAGE_URL',
  VOICE: 'VOICE',
  VIDEO: 'VIDEO',
  FILE: 'FILE',
  NEWS: 'NEWS',
  INFO: 'INFO',
  ERROR: 'ERROR',
} as const;
export type ReplyType = (typeof ReplyType)[keyof typeof ReplyType];

export interface NewsArticle {
  title: string;
  description?: string;
  url: string;
  picUrl?: string;
}

/** Binary media with what a channel needs to upload it. */
export interface MediaContent {
  data: Buffer;
  /** File name with extension, e.g. "reply.amr"; platforms infer the type from it. */
  filename: string;
  mimeType?: string;
  /** Voice only: the clip's duration, for platforms that limit it. */
  durationSeconds?: number;
}

export type Reply =
  | { type: 'TEXT' | 'MARKDOWN' | 'INFO' | 'ERROR'; content: string }
  | { type: 'IMAGE_URL'; content: string }
  | { type: 'IMAGE' | 'VOICE' | 'VIDEO' | 'FILE'; content: MediaContent }
  | { type: 'NEWS'; content: NewsArticle[] };

export const textReply = (content: string): Reply => ({ type: 'TEXT', content });
export const errorReply = (content: string): Reply => ({ type: 'ERROR', content });
export const infoReply = (content: string): Reply => ({ type: 'INFO', content });

/** True for replies whose content is a plain string. */
export function isTextual(reply: Reply): reply is Extract<Reply, { content: string }> {
  return typeof reply.content === 'string';
}
