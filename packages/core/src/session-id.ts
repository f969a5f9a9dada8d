import type { Context } from './context.js';

export const ALL_GROUP = 'ALL_GROUP';

/**
 * Single chat: one session per user. Group: one per member of that group, or one for the
 * whole group when it is listed in `group_chat_in_one_session` (as in chatgpt-on-wechat).
 */
export function resolveSessionId(context: Context, sharedGroups: readonly string[]): string {
  if (!context.isGroup) return `${context.channel}:${context.senderId}`;
  const group = context.groupId ?? context.receiver;
  const shared = sharedGroups.includes(ALL_GROUP) || (context.groupName !== undefined && sharedGroups.includes(context.groupName));
  return shared ? `${context.channel}:group:${group}` : `${context.channel}:group:${group}:${context.senderId}`;
}
