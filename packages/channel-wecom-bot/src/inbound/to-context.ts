import { ContextType, INBOUND_MEDIA, createContext, ctxSet, type Context, type ContextType as ContextTypeName } from '@wecom-bot/core';
import { CHANNEL_NAME } from '../config.js';
import type { AibotMessage } from './message.js';
import { stripMention } from './mention.js';

/** Fetches and decrypts a media URL of a callback (key: the per-file aeskey when given). */
export type MediaLoader = (url: string, aeskey: string | undefined) => Promise<Buffer>;

/** Where a reply to this message goes: the group's chat id, or the member's user id. */
export function chatIdOf(message: AibotMessage): string {
  return message.chattype === 'group' && message.chatid ? message.chatid : (message.from?.userid ?? '');
}

/**
 * An AI-bot message as a Context. Voice arrives as WeCom's own transcript, so it is text
 * (no ffmpeg). A quoted message is put before the question, so the model knows what "this"
 * refers to. Returns undefined for a message type we do not read.
 */
export function toContext(message: AibotMessage, options: { botName: string; loadMedia: MediaLoader }): Context | undefined {
  const isGroup = message.chattype === 'group';
  const base = {
    channel: CHANNEL_NAME,
    senderId: message.from?.userid ?? '',
    receiver: chatIdOf(message),
    isGroup,
    // In groups only @-messages reach the bot.
    isAt: isGroup,
    groupId: isGroup ? message.chatid : undefined,
    messageId: message.msgid,
    createdAt: message.create_time ?? Math.floor(Date.now() / 1000),
    raw: message,
  };
  const make = (type: ContextTypeName, content: string) => createContext({ ...base, type, content });
  const clean = (text: string) => (isGroup ? stripMention(text, options.botName) : text.trim());
  let context: Context;
  let media: { url: string; aeskey?: string; format: string } | undefined;
  switch (message.msgtype) {
    case 'text':
      context = make(ContextType.TEXT, withQuote(message, clean(message.text?.content ?? '')));
      break;
    case 'voice':
      context = make(ContextType.TEXT, withQuote(message, clean(message.voice?.content ?? '')));
      break;
    case 'mixed': {
      const items = message.mixed?.msg_item ?? [];
      const texts = items.flatMap((i) => (i.msgtype === 'text' && i.text?.content ? [i.text.content] : []));
      context = make(ContextType.TEXT, withQuote(message, clean(texts.join('\n'))));
      const image = items.find((i) => i.msgtype === 'image' && i.image?.url)?.image;
      if (image?.url) media = { url: image.url, aeskey: image.aeskey, format: 'jpg' };
      break;
    }
    case 'image':
      context = make(ContextType.IMAGE, message.image?.url ?? '');
      if (message.image?.url) media = { url: message.image.url, aeskey: message.image.aeskey, format: 'jpg' };
      break;
    case 'file':
      context = make(ContextType.FILE, message.file?.url ?? '');
      if (message.file?.url) media = { url: message.file.url, aeskey: message.file.aeskey, format: '' };
      break;
    case 'video':
      context = make(ContextType.VIDEO, message.video?.url ?? '');
      if (message.video?.url) media = { url: message.video.url, aeskey: message.video.aeskey, format: 'mp4' };
      break;
    case 'event':
      context = make(ContextType.EVENT, message.event?.eventtype ?? '');
      break;
    default:
      return undefined;
  }
  if (media) {
    const { url, aeskey, format } = media;
    ctxSet(context, INBOUND_MEDIA, { format, load: () => options.loadMedia(url, aeskey) });
  }
  return context;
}

function withQuote(message: AibotMessage, question: string): string {
  const quote = message.quote;
  if (!quote) return question;
  const quoted =
    quote.text?.content ??
    quote.voice?.content ??
    (quote.mixed?.msg_item ?? []).flatMap((i) => (i.text?.content ? [i.text.content] : [])).join('\n');
  return quoted ? `「${quoted}」\n${question}` : question;
}
