import { Action, ContextType, definePlugin, type HookEvent } from '@wecom-bot/core';
import { pluginsConfig } from '../config.js';
import { PRIORITY } from '../priorities.js';
import { matchPrefix, stripPrefix } from '../prefix/match.js';

/** "画 a cat" becomes an IMAGE_CREATE context with the prompt "a cat": the bot draws it. */
export const imageCreatePlugin = definePlugin({
  name: 'image-create',
  description: 'Texts starting with an image_create_prefix ask the bot for an image.',
  priority: PRIORITY.imageCreate,

  onReceiveMessage({ context, host }: HookEvent) {
    if (context.type !== ContextType.TEXT) return Action.CONTINUE;
    // A "" image prefix draws nothing, as in chatgpt-on-wechat (it would turn every text into a drawing).
    const prefixes = pluginsConfig(host.config).image_create_prefix.filter((p) => p !== '');
    const prefix = matchPrefix(context.content, prefixes);
    if (prefix === undefined) return Action.CONTINUE;
    const prompt = stripPrefix(context.content, prefix);
    // "画" alone has nothing to draw: leave it a text for the bot to answer.
    if (prompt === '') return Action.CONTINUE;
    context.type = ContextType.IMAGE_CREATE;
    context.content = prompt;
    return Action.CONTINUE;
  },
});
