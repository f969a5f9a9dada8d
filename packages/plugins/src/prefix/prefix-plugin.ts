import { Action, ctxGet, definePlugin, type Context, type HookEvent } from '@wecom-bot/core';
import { pluginsConfig, type PluginsConfig } from '../config.js';
import { PRIORITY } from '../priorities.js';
import { FROM_VOICE } from '../shared/keys.js';
import { containsAny, matchPrefix, stripPrefix } from './match.js';

/**
 * chatgpt-on-wechat's trigger rules: which texts the bot answers (prefixes, keywords,
 * @-mentions), the trigger removed before the bot sees the text, and the reply prefix and
 * suffix (with an @-mention of the sender in groups, where the channel can mention).
 */
export const prefixPlugin = definePlugin({
  name: 'prefix',
  description: 'Answers only messages with a trigger prefix, keyword or @-mention; decorates replies.',
  priority: PRIORITY.prefix,

  onReceiveMessage({ context, host }: HookEvent) {
    if (context.type !== 'TEXT') return Action.CONTINUE;
    const config = pluginsConfig(host.config);
    const text = context.isGroup ? triggeredInGroup(context, config) : triggeredInSingleChat(context, config);
    if (text === undefined || text === '') {
      host.logger.debug({ session: context.sessionId }, 'no trigger matched; message ignored');
      return Action.BREAK_PASS;
    }
    context.content = text;
    return Action.CONTINUE;
  },

  onDecorateReply({ context, reply, host, channel }: HookEvent) {
    if (reply?.type !== 'TEXT') return Action.CONTINUE;
    const config = pluginsConfig(host.config);
    if (context.isGroup) {
      const mention = channel.canMention ? `@${context.senderName ?? context.senderId} ` : '';
      reply.content = `${config.group_chat_reply_prefix}${mention}${reply.content.trim()}${config.group_chat_reply_suffix}`;
    } else {
      reply.content = `${config.single_chat_reply_prefix}${reply.content}${config.single_chat_reply_suffix}`;
    }
    return Action.CONTINUE;
  },
});

/** The text to answer, or undefined when the message does not trigger the bot. */
function triggeredInSingleChat(context: Context, config: PluginsConfig): string | undefined {
  const text = context.content.trim();
  if (config.single_chat_prefix.length === 0) return text;
  const prefix = matchPrefix(text, config.single_chat_prefix);
  if (prefix !== undefined) return stripPrefix(text, prefix);
  // A spoken message cannot carry a typed prefix: chatgpt-on-wechat answers it anyway.
  return ctxGet(context, FROM_VOICE) ? text : undefined;
}

function triggeredInGroup(context: Context, config: PluginsConfig): string | undefined {
  const text = context.content.trim();
  const prefix = matchPrefix(text, config.group_chat_prefix);
  if (prefix !== undefined) return stripPrefix(text, prefix);
  if (containsAny(text, config.group_chat_keyword)) return text;
  if (context.isAt && !config.group_at_off) return text;
  return undefined;
}
