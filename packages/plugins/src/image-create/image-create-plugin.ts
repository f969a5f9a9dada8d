import { Action, ContextType, defineConfigSection, definePlugin, type HookEvent, type Plugin, type SectionConfig } from '@wecom-bot/core';
import { z } from 'zod';
import { PRIORITY } from '../priorities.js';
import { matchPrefix, stripPrefix } from '../prefix/match.js';

/** Not chatgpt-on-wechat's "看"/"找" too: they start everyday work sentences (see README). */
export const imageCreateConfigSection = defineConfigSection({
  title: 'image-create plugin',
  shape: {
    image_create_prefix: z.array(z.string()).default(['画']).describe('A text starting with one of these asks for an image (the rest is the prompt).'),
  },
});

/** "画 a cat" becomes an IMAGE_CREATE context with the prompt "a cat": the bot draws it. */
export function createImageCreatePlugin(config: SectionConfig<typeof imageCreateConfigSection>): Plugin {
  return definePlugin({
    name: 'image-create',
    description: 'Texts starting with an image_create_prefix ask the bot for an image.',
    priority: PRIORITY.imageCreate,

    onReceiveMessage({ context }: HookEvent) {
      if (context.type !== ContextType.TEXT) return Action.CONTINUE;
      // A "" image prefix draws nothing, as in chatgpt-on-wechat (it would turn every text into a drawing).
      const prefixes = config.image_create_prefix.filter((p) => p !== '');
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
}
