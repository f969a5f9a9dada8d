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
  const f = (name: string) => str(msg.fields, name) ?? '';
  const base = {
    channel: CHANNEL_NAME,
    senderId: msg.fromUserName,
    receiver: msg.fromUserName,
    isGroup: false,
    messageId: msg.msgId,
    createdAt: msg.createTime,
    raw: msg,
  };
  let context: Context;
  let media: { id: string; format: string } | undefined;
  switch (msg.msgType) {
    case 'text':
      context = createContext({ ...base, type: ContextType.TEXT, content: f('Content') });
      break;
    case 'image':
      // The URL is what a vision model can read directly; the bytes are behind INBOUND_MEDIA.
      context = createContext({ ...base, type: ContextType.IMAGE, content: f('PicUrl') || f('MediaId') });
      media = { id: f('MediaId'), format: 'jpg' };
      break;
    case 'voice':
      context = createContext({ ...base, type: ContextType.VOICE, content: f('MediaId') });
      media = { id: f('MediaId'), format: (f('Format') || 'amr').toLowerCase() };
      break;
    case 'video':
      context = createContext({ ...base, type: ContextType.VIDEO, content: f('MediaId') });
      media = { id: f('MediaId'), format: 'mp4' };
      break;
    case 'file':
      context = createContext({ ...base, type: ContextType.FILE, content: f('FileName') || f('MediaId') });
      media = { id: f('MediaId'), format: extension(f('FileName')) };
      break;
    // A location or a link is text to talk about: what the bot reads (every field stays in raw).
    case 'location': {
      const coordinates = `纬度 ${f('Location_X')}，经度 ${f('Location_Y')}`;
      context = createContext({ ...base, type: ContextType.LOCATION, content: f('Label') ? `${f('Label')}（${coordinates}）` : coordinates });
      break;
    }
    case 'link': {
      const lines = [['标题', f('Title')], ['描述', f('Description')], ['网址', f('Url')]].filter(([, value]) => value);
      context = createContext({ ...base, type: ContextType.LINK, content: lines.map(([label, value]) => `${label}：${value}`).join('\n') });
      break;
    }
    case 'event':
      context = createContext({ ...base, type: ContextType.EVENT, content: msg.event ?? '' });
      break;
    default:
      return undefined;
  }
  if (media?.id) {
    const id = media.id;
    ctxSet(context, INBOUND_MEDIA, { format: media.format, load: () => loadMedia(id) });
  }
  return context;
}

function extension(filename: string): string {
  const dot = filename.lastIndexOf('.');
  return dot > 0 ? filename.slice(dot + 1).toLowerCase() : '';
}
