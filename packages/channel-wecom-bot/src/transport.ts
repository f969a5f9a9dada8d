import type { AibotMessage } from './inbound/message.js';
import type { StreamFrame } from './stream/stream-reply.js';

/** How one callback can be answered while its request (webhook) or turn (long connection) is open. */
export interface CallbackResponder {
  /** Long connection: pushes a frame under the callback's req_id. Webhook: absent (WeCom polls). */
  push?(frame: StreamFrame): Promise<void>;
  /** The welcome for enter_chat: pushed (long connection), or returned as the HTTP answer (webhook). */
  welcome(text: string): Promise<object | undefined>;
}

/** What the channel gets for each callback: returns what goes back inside the HTTP answer (webhook only). */
export type CallbackReceiver = (body: unknown, responder: CallbackResponder) => Promise<object | undefined>;

/** One way of talking to WeCom: the long connection or the webhook. */
export interface AibotTransport {
  /** Starts taking callbacks; `refresh` answers webhook polls with a stream's current frame. */
  start(receive: CallbackReceiver, refresh: (streamId: string) => StreamFrame | undefined): Promise<void>;
  stop(): Promise<void>;
  /** Markdown outside the stream, to where `message` came from (aibot_send_msg, or its response_url). */
  sendMarkdown(message: AibotMessage, markdown: string): Promise<void>;
  /** Markdown to a member or group nobody heard from (long connection only: a webhook has no way to start). */
  pushMarkdown?(chatId: string, markdown: string): Promise<void>;
}
