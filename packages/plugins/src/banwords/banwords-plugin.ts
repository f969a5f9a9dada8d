import { Action, defineConfigSection, definePlugin, infoReply, type HookEvent, type Plugin, type PluginHost, type SectionConfig } from '@wecom-bot/core';
import { z } from 'zod';
import { PRIORITY } from '../priorities.js';
import { dataFile } from '../shared/data-file.js';
import { WatchedFile } from '../shared/watched-file.js';
import { WordList } from './word-list.js';

export const BANWORDS_FILE = 'banwords.txt';
export const REWORD_PROMPT = '你的消息包含敏感词，请修改后再发：\n';

export const banwordsConfigSection = defineConfigSection({
  title: 'banwords plugin',
  shape: {
    banwords_file: z.string().default('').describe(`Banned words, one per line; empty = <data_dir>/${BANWORDS_FILE} when it exists.`),
    banwords_action: z.enum(['ignore', 'replace']).default('ignore').describe('A message with a banned word: ignore it, or answer that it must be reworded.'),
    banwords_reply_action: z.enum(['ignore', 'replace', 'off']).default('ignore').describe('A reply with a banned word: drop it, mask the word with *, or send it as is.'),
  },
});

export type BanwordsConfig = SectionConfig<typeof banwordsConfigSection>;

/**
 * Banned words from a file (one per line, re-read when it changes): a message containing one
 * is ignored or answered with a request to reword it; a reply containing one is dropped or
 * masked, before the voice plugin could speak it.
 */
export function createBanwordsPlugin(config: BanwordsConfig): Plugin {
  const file = new WatchedFile(WordList.parse);
  const words = (host: PluginHost): Promise<WordList | undefined> => file.read(dataFile(host.config, config.banwords_file, BANWORDS_FILE));

  return definePlugin({
    name: 'banwords',
    description: 'Ignores messages with banned words and keeps them out of replies.',
    priority: PRIORITY.banwords,

    async onHandleContext(event: HookEvent) {
      const { context, host } = event;
      if (context.type !== 'TEXT' && context.type !== 'IMAGE_CREATE') return Action.CONTINUE;
      const list = await words(host);
      if (!list?.contains(context.content)) return Action.CONTINUE;
      host.logger.info({ session: context.sessionId }, 'message with a banned word');
      if (config.banwords_action === 'replace') event.reply = infoReply(REWORD_PROMPT + list.mask(context.content));
      return Action.BREAK_PASS;
    },

    async onDecorateReply(event: HookEvent) {
      const { reply, host, context } = event;
      const action = config.banwords_reply_action;
      if (action === 'off' || !reply || typeof reply.content !== 'string') return Action.CONTINUE;
      const list = await words(host);
      if (!list?.contains(reply.content)) return Action.CONTINUE;
      host.logger.info({ session: context.sessionId, action }, 'reply with a banned word');
      if (action === 'ignore') {
        event.reply = undefined;
        return Action.BREAK_PASS;
      }
      reply.content = list.mask(reply.content);
      return Action.CONTINUE;
    },

    /** An answer shown as it grows: masked before each frame, or (ignore) not shown at all. */
    async onStreamText(event: HookEvent) {
      const action = config.banwords_reply_action;
      const text = event.streamText;
      if (action === 'off' || text === undefined) return Action.CONTINUE;
      const list = await words(event.host);
      if (!list?.contains(text)) return Action.CONTINUE;
      if (action === 'ignore') return Action.BREAK_PASS;
      event.streamText = list.mask(text);
      return Action.CONTINUE;
    },
  });
}
