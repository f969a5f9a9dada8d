import type { ReadinessState } from '@wecom-bot/core';
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

/**
 * Where a message outside any stream goes: aibot_send_msg to `chatId` (long connection), or
 * the `responseUrl` a message carried (webhook: usable once, for an hour). Kept in the
 * outbox as the push target, so it must stay plain JSON.
 */
export interface ReplyRoute {
  /** A group's chat id, or a member's user id. */
  chatId: string;
  responseUrl?: string;
}

/** Told when this instance starts or stops talking to WeCom for the bot (the outbox resumes only then). */
export type ActiveListener = (active: boolean) => void;

/** One way of talking to WeCom: the long connection or the webhook. */
export interface AibotTransport {
  /**
   * Starts taking callbacks; `refresh` answers webhook polls with a stream's current frame.
   * `onActive(true)` once it can send (listening; or connected while holding the connection
   * lease), `onActive(false)` when it no longer can (lease lost, replaced, stopped).
   */
  start(receive: CallbackReceiver, refresh: (streamId: string) => StreamFrame | undefined, onActive?: ActiveListener): Promise<void>;
  stop(): Promise<void>;
  /** Markdown outside the stream: aibot_send_msg (long connection), or the route's response_url (webhook). */
  sendMarkdown(route: ReplyRoute, markdown: string): Promise<void>;
  /** Whether it can take messages now (/readyz): listening, connected, or standing by for another instance. */
  readiness(): ReadinessState | Promise<ReadinessState>;
}
