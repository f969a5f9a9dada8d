import type { PushTarget } from '@wecom-bot/core';
import type { AibotMessage } from './inbound/message.js';
import { chatIdOf } from './inbound/to-context.js';
import type { ReplyRoute } from './transport.js';

/**
 * The outbox's push target for an AI-bot message: who (group chat id or user id) plus, for the
 * webhook, the response_url, its only way to answer outside the stream. Plain JSON: the outbox
 * stores it and hands it back to `push` after a restart.
 */
export interface AibotPushTarget extends PushTarget {
  responseUrl?: string;
}

export function pushTargetOf(message: AibotMessage): AibotPushTarget {
  const target: AibotPushTarget = { receiver: chatIdOf(message), isGroup: message.chattype === 'group' };
  if (message.response_url) target.responseUrl = message.response_url;
  return target;
}

/** Where a reply outside the stream goes: a recorded target, or a plain push target (a scheduled report). */
export function routeOf(target: AibotPushTarget): ReplyRoute {
  return { chatId: target.receiver, responseUrl: typeof target.responseUrl === 'string' ? target.responseUrl : undefined };
}
