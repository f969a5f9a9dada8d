/**
 * The plaintext XML of a passive (synchronous) reply, before encryption. WeCom accepts text,
 * image, voice, video and news (≤ 8 articles) this way; there is no markdown or file reply.
 */
export type PassiveMessage =
  | { msgType: 'text'; content: string }
  | { msgType: 'image' | 'voice'; mediaId: string }
  | { msgType: 'video'; mediaId: string; title?: string; description?: string }
  | { msgType: 'news'; articles: Array<{ title: string; description?: string; url: string; picUrl?: string }> };

export const PASSIVE_NEWS_MAX_ARTICLES = 8;

export interface PassiveEnvelope {
  /** The member's UserID (the inbound FromUserName). */
  toUser: string;
  /** The corp id (the inbound ToUserName). */
  fromUser: string;
  createTime?: number;
}

export function renderPassiveReply(message: PassiveMessage, envelope: PassiveEnvelope): string {
  const head =
    `<ToUserName>${cdata(envelope.toUser)}</ToUserName>` +
    `<FromUserName>${cdata(envelope.fromUser)}</FromUserName>` +
    `<CreateTime>${envelope.createTime ?? Math.floor(Date.now() / 1000)}</CreateTime>` +
    `<MsgType>${cdata(message.msgType)}</MsgType>`;
  return `<xml>${head}${body(message)}</xml>`;
}

function body(message: PassiveMessage): string {
  switch (message.msgType) {
    case 'text':
      return `<Content>${cdata(message.content)}</Content>`;
    case 'image':
      return `<Image><MediaId>${cdata(message.mediaId)}</MediaId></Image>`;
    case 'voice':
      return `<Voice><MediaId>${cdata(message.mediaId)}</MediaId></Voice>`;
    case 'video':
      return (
        `<Video><MediaId>${cdata(message.mediaId)}</MediaId>` +
        `<Title>${cdata(message.title ?? '')}</Title><Description>${cdata(message.description ?? '')}</Description></Video>`
      );
    case 'news': {
      const articles = message.articles.slice(0, PASSIVE_NEWS_MAX_ARTICLES);
      const items = articles
        .map(
          (a) =>
            `<item><Title>${cdata(a.title)}</Title><Description>${cdata(a.description ?? '')}</Description>` +
            `<PicUrl>${cdata(a.picUrl ?? '')}</PicUrl><Url>${cdata(a.url)}</Url></item>`,
        )
        .join('');
      return `<ArticleCount>${articles.length}</ArticleCount><Articles>${items}</Articles>`;
    }
  }
}

/** CDATA that survives a "]]>" inside the value (split across two sections). */
export function cdata(value: string): string {
  return `<![CDATA[${value.replaceAll(']]>', ']]]]><![CDATA[>')}]]>`;
}
