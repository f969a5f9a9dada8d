import { ContextType, INBOUND_MEDIA, createContext, ctxSet, type Context } from '@wecom-bot/core';
import { str, type WecomInboundMessage } from '../xml/parse-message.js';

export const CHANNEL_NAME = 'wechatcom_app';

/** Fetches media bytes by media id (the API client's `media/get`). */
export type MediaLoader = (mediaId: string) => Promise<Buffer>;

/**
 * Turns a decrypted WeCom message into a Context. Returns undefined for a MsgType we do not
 * know, so the caller can log it and still acknowledge the callback. The message itself is
 * `context.raw`, for plugins that want a field we did not map (e.g. `raw.fields.Recognition`,
 * WeCom's own transcript of a voice message when the app has speech recognition on).
 */
export function toContext(msg: WecomInboundMessage, loadMedia: MediaLoader): Context | undefined {
  const read = kindOf(msg);
  if (!read) return undefined;
  // One object literal, not spreads of a shared base: this runs on every callback.
  const context = createContext({
    type: read.type,
    content: read.content,
    channel: CHANNEL_NAME,
    senderId: msg.fromUserName,
    receiver: msg.fromUserName,
    isGroup: false,
    messageId: msg.msgId,
    createdAt: msg.createTime,
    raw: msg,
  });
  const media = read.media;
  if (media?.id) ctxSet(context, INBOUND_MEDIA, { format: media.format, load: () => loadMedia(media.id) });
  return context;
}

interface MessageKind {
  type: ContextType;
  content: string;
  media?: { id: string; format: string };
}

/** What the message is for the bot: its type, its content and its media; undefined for a MsgType we do not know. */
function kindOf(msg: WecomInboundMessage): MessageKind | undefined {
  const f = textOf(msg);
  switch (msg.msgType) {
    case 'text':
      return { type: ContextType.TEXT, content: f('Content') };
    case 'image':
      // The URL is what a vision model can read directly; the bytes are behind INBOUND_MEDIA.
      return { type: ContextType.IMAGE, content: f('PicUrl') || f('MediaId'), media: { id: f('MediaId'), format: 'jpg' } };
    case 'voice':
      return { type: ContextType.VOICE, content: f('MediaId'), media: { id: f('MediaId'), format: (f('Format') || 'amr').toLowerCase() } };
    case 'video':
      return { type: ContextType.VIDEO, content: f('MediaId'), media: { id: f('MediaId'), format: 'mp4' } };
    case 'file':
      return { type: ContextType.FILE, content: f('FileName') || f('MediaId'), media: { id: f('MediaId'), format: extension(f('FileName')) } };
    // A location or a link is text to talk about: what the bot reads (every field stays in raw).
    case 'location': {
      const coordinates = `纬度 ${f('Location_X')}，经度 ${f('Location_Y')}`;
      return { type: ContextType.LOCATION, content: f('Label') ? `${f('Label')}（${coordinates}）` : coordinates };
    }
    case 'link': {
      const lines = [['标题', f('Title')], ['描述', f('Description')], ['网址', f('Url')]].filter(([, value]) => value);
      return { type: ContextType.LINK, content: lines.map(([label, value]) => `${label}：${value}`).join('\n') };
    }
    case 'event':
      return { type: ContextType.EVENT, content: msg.event ?? '' };
    default:
      return undefined;
  }
}

/**
 * The reader of a message's text fields ('' when absent). Made here, not as an arrow in a
 * const: keepNames (tsx, the build) would rename that arrow on every callback.
 */
function textOf(msg: WecomInboundMessage): (name: string) => string {
  return (name) => str(msg.fields, name) ?? '';
}

function extension(filename: string): string {
  const dot = filename.lastIndexOf('.');
  return dot > 0 ? filename.slice(dot + 1).toLowerCase() : '';
}
