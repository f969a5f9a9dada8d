/**
 * What the dev server and its page say to each other: types only, imported by both (the page
 * is bundled from web/, the server runs from src/), so the two cannot drift apart.
 */

/** The two conversations the page shows: 1:1 with the self-built app, the group with the AI bot. */
export type ChatId = 'app' | 'group';

export interface NewsCard {
  title: string;
  description?: string;
  url: string;
  picUrl?: string;
}

/** Media a bubble shows: served by the dev server at `url`. */
export interface MediaRef {
  url: string;
  name?: string;
  bytes?: number;
  /** Voice: the clip's length. */
  seconds?: number;
}

/** One bubble. A streamed answer is sent again under the same id each time it grows. */
export interface ChatMessage {
  id: string;
  chat: ChatId;
  from: 'me' | 'bot' | 'system';
  at: number;
  kind: 'text' | 'markdown' | 'image' | 'voice' | 'file' | 'video' | 'news' | 'event';
  text?: string;
  media?: MediaRef;
  articles?: NewsCard[];
  /** The AI bot's bubble while its stream is open. */
  streaming?: boolean;
  /** How it travelled: "passive reply", "message/send", "stream", "aibot_send_msg" … */
  via?: string;
  /** Ties the bubble to its records in the developer panel. */
  trace?: string;
}

/** One line of the developer panel. */
export interface DevRecord {
  id: string;
  at: number;
  /** Which side it belongs to; absent for the dev server's own lines. */
  chat?: ChatId;
  kind: 'callback' | 'api' | 'frame' | 'plugins' | 'log';
  title: string;
  ok: boolean;
  ms?: number;
  /** What was exchanged, decrypted and pretty-printed (request and answer). */
  request?: string;
  response?: string;
  /** For kind "plugins": the hook's steps in order. */
  steps?: Array<{ plugin: string; action: string; ms: number; failed?: boolean }>;
  trace?: string;
}

/** A fault the stand-ins answer once, on demand. */
export type FaultName = '42001' | '60020' | '45009' | '846608';

export interface DevInfo {
  bot: string;
  botName: string;
  member: { id: string; name: string };
  group: { id: string; name: string };
  /** Why something is off (no ffmpeg with AMR: no voice; echo instead of openai …). */
  notes: string[];
  voice: boolean;
  /** wechatcomapp_reply_format, to say why app answers are text or markdown. */
  replyFormat: string;
  menu: Array<{ name: string; key: string }>;
}

/** Server → page, over Server-Sent Events. */
export type ServerEvent =
  | { type: 'hello'; info: DevInfo; messages: ChatMessage[]; records: DevRecord[] }
  | { type: 'message'; message: ChatMessage }
  | { type: 'record'; record: DevRecord };

/** Page → server: POST /api/chats/:chat/text. */
export interface TextRequest {
  text: string;
}

/** Page → server: POST /api/chats/app/event. */
export interface EventRequest {
  event: 'enter_agent' | 'click';
  key?: string;
}
