/** Bodies of `message/send` (without touser/agentid, which the client adds). */
export type OutboundMessage =
  | { msgtype: 'text'; text: { content: string } }
  | { msgtype: 'markdown'; markdown: { content: string } }
  | { msgtype: 'image'; image: { media_id: string } }
  | { msgtype: 'voice'; voice: { media_id: string } }
  | { msgtype: 'video'; video: { media_id: string; title?: string; description?: string } }
  | { msgtype: 'file'; file: { media_id: string } }
  | { msgtype: 'news'; news: { articles: NewsArticleBody[] } };

export interface NewsArticleBody {
  title: string;
  description?: string;
  url: string;
  picurl?: string;
}

/** WeCom's media kinds for `media/upload`, with its size limits. */
export type MediaType = 'image' | 'voice' | 'video' | 'file';

export const MEDIA_MAX_BYTES: Record<MediaType, number> = {
  image: 10 * 1024 * 1024,
  voice: 2 * 1024 * 1024,
  video: 10 * 1024 * 1024,
  file: 20 * 1024 * 1024,
};

/** At most this many articles in one news message. */
export const NEWS_MAX_ARTICLES = 8;

export interface SendResult {
  msgid?: string;
  /** Recipients WeCom could not deliver to ("user1|user2"). */
  invaliduser?: string;
}

export interface DownloadedMedia {
  data: Buffer;
  contentType: string;
  filename?: string;
}
