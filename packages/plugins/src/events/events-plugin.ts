import { Action, ContextType, defineConfigSection, definePlugin, textReply, type HookEvent, type Plugin, type SectionConfig } from '@wecom-bot/core';
import { z } from 'zod';
import type { PrefixConfig } from '../prefix/prefix-plugin.js';
import { PRIORITY } from '../priorities.js';

export const eventsConfigSection = defineConfigSection({
  title: 'events plugin',
  shape: {
    subscribe_msg: z
      .string()
      .default('')
      .describe('Answer to a member who subscribes (starts using the app); {trigger_prefix} becomes the first single_chat_prefix. Empty: nothing.'),
  },
});

export type EventsConfig = SectionConfig<typeof eventsConfigSection>;

/**
 * Events are not questions: opening the app (enter_agent), a location report, a menu click
 * must never reach the bot, which would answer them as text (or with an error). `subscribe`
 * gets `subscribe_msg`, as in chatgpt-on-wechat; every other event is silent. It runs last
 * (PRIORITY.events), so any plugin sees the event first and may answer it (a menu click).
 */
export function createEventsPlugin(config: PrefixConfig & EventsConfig): Plugin {
  return definePlugin({
    name: 'events',
    description: 'Answers subscribe with subscribe_msg; other events stay silent and never reach the bot.',
    priority: PRIORITY.events,

    onHandleContext(event: HookEvent) {
      const { context, host } = event;
      if (context.type !== ContextType.EVENT) return Action.CONTINUE;
      // A plugin before us answered (a menu click): its reply goes out, still without the bot.
      if (!event.reply && context.content.toLowerCase() === 'subscribe') {
        const welcome = subscribeMessage(config);
        if (welcome !== '') event.reply = textReply(welcome);
      }
      host.logger.debug({ session: context.sessionId, event: context.content, answered: event.reply !== undefined }, 'event handled without the bot');
      return Action.BREAK_PASS;
    },
  });
}

/** chatgpt-on-wechat's `subscribe_msg.format(trigger_prefix=single_chat_prefix[0])`. */
function subscribeMessage(config: PrefixConfig & EventsConfig): string {
  return config.subscribe_msg.replaceAll('{trigger_prefix}', config.single_chat_prefix[0] ?? '').trim();
}
