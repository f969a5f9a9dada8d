import { Action, ctxGet, defineConfigSection, definePlugin, type Context, type HookEvent, type Plugin, type SectionConfig } from '@wecom-bot/core';
import { z } from 'zod';
import { PRIORITY } from '../priorities.js';
import { FROM_VOICE } from '../shared/keys.js';
import { containsAny, matchPrefix, stripPrefix } from './match.js';

const list = z.array(z.string());

/** Defaults follow chatgpt-on-wechat except where a WeCom app differs (see README: single chat prefix, reply prefix). */
export const prefixConfigSection = defineConfigSection({
  title: 'prefix plugin',
  shape: {
    single_chat_prefix: list.default([]).describe('Single chat: a message must start with one of these to be answered; [] answers everything.'),
    single_chat_reply_prefix: z.string().default('').describe('Put before every single-chat text reply.'),
    single_chat_reply_suffix: z.string().default('').describe('Put after every single-chat text reply.'),
    group_chat_prefix: list.default(['@bot']).describe('Group: a message starting with one of these is answered (the prefix is removed).'),
    group_chat_keyword: list.default([]).describe('Group: a message containing one of these words is answered.'),
    group_at_off: z.boolean().default(false).describe('Group: true = an @-mention of the bot alone does not trigger an answer.'),
    group_chat_reply_prefix: z.string().default('').describe('Put before every group text reply.'),
    group_chat_reply_suffix: z.string().default('').describe('Put after every group text reply.'),
  },
});

export type PrefixConfig = SectionConfig<typeof prefixConfigSection>;

/**
 * chatgpt-on-wechat's trigger rules: which texts the bot answers (prefixes, keywords,
 * @-mentions), the trigger removed before the bot sees the text, and the reply prefix and
 * suffix (with an @-mention of the sender in groups, where the channel can mention).
 */
export function createPrefixPlugin(config: PrefixConfig): Plugin {
  return definePlugin({
    name: 'prefix',
    description: 'Answers only messages with a trigger prefix, keyword or @-mention; decorates replies.',
    priority: PRIORITY.prefix,

    onReceiveMessage({ context, host }: HookEvent) {
      if (context.type !== 'TEXT') return Action.CONTINUE;
      const text = context.isGroup ? triggeredInGroup(context, config) : triggeredInSingleChat(context, config);
      if (text === undefined || text === '') {
        host.logger.debug({ session: context.sessionId }, 'no trigger matched; message ignored');
        return Action.BREAK_PASS;
      }
      context.content = text;
      return Action.CONTINUE;
    },

    onDecorateReply({ context, reply, channel }: HookEvent) {
      if (reply?.type !== 'TEXT') return Action.CONTINUE;
      if (context.isGroup) {
        const mention = channel.canMention ? `@${context.senderName ?? context.senderId} ` : '';
        reply.content = `${config.group_chat_reply_prefix}${mention}${reply.content.trim()}${config.group_chat_reply_suffix}`;
      } else {
        reply.content = `${config.single_chat_reply_prefix}${reply.content}${config.single_chat_reply_suffix}`;
      }
      return Action.CONTINUE;
    },
  });
}

/** The text to answer, or undefined when the message does not trigger the bot. */
function triggeredInSingleChat(context: Context, config: PrefixConfig): string | undefined {
  const text = context.content.trim();
  if (config.single_chat_prefix.length === 0) return text;
  const prefix = matchPrefix(text, config.single_chat_prefix);
  if (prefix !== undefined) return stripPrefix(text, prefix);
  // A spoken message cannot carry a typed prefix: chatgpt-on-wechat answers it anyway.
  return ctxGet(context, FROM_VOICE) ? text : undefined;
}

function triggeredInGroup(context: Context, config: PrefixConfig): string | undefined {
  const text = context.content.trim();
  const prefix = matchPrefix(text, config.group_chat_prefix);
  if (prefix !== undefined) return stripPrefix(text, prefix);
  if (containsAny(text, config.group_chat_keyword)) return text;
  if (context.isAt && !config.group_at_off) return text;
  return undefined;
}
