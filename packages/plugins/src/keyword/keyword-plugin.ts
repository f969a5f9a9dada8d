import { Action, defineConfigSection, definePlugin, textReply, type HookEvent, type Plugin, type Reply, type SectionConfig } from '@wecom-bot/core';
import { z } from 'zod';
import { PRIORITY } from '../priorities.js';
import { dataFile } from '../shared/data-file.js';
import { WatchedFile } from '../shared/watched-file.js';

export const KEYWORD_FILE = 'keyword.json';

export const keywordConfigSection = defineConfigSection({
  title: 'keyword plugin',
  shape: {
    keyword_file: z.string().default('').describe(`Fixed answers, JSON {"question": "answer or image URL"}; empty = <data_dir>/${KEYWORD_FILE} when it exists.`),
  },
});

export type KeywordConfig = SectionConfig<typeof keywordConfigSection>;

const IMAGE_URL = /^https?:\/\/\S+\.(png|jpe?g|gif|webp)(\?\S*)?$/i;

/**
 * Fixed answers for fixed questions, from a JSON file (chatgpt-on-wechat's
 * {"keyword": {"question": "answer"}} or a plain {"question": "answer"}). An answer that is
 * an image URL is sent as an image. The whole message must equal the question.
 */
export function createKeywordPlugin(config: KeywordConfig): Plugin {
  const file = new WatchedFile(parseKeywords);

  return definePlugin({
    name: 'keyword',
    description: 'Answers fixed questions from keyword.json without asking the bot.',
    priority: PRIORITY.keyword,

    async onHandleContext(event: HookEvent) {
      const { context, host } = event;
      if (context.type !== 'TEXT') return Action.CONTINUE;
      const path = dataFile(host.config, config.keyword_file, KEYWORD_FILE);
      let answers: Map<string, string> | undefined;
      try {
        answers = await file.read(path);
      } catch (error) {
        host.logger.warn({ err: error }, `keyword file ${path} is unreadable; keywords are off until it is fixed`);
        return Action.CONTINUE;
      }
      const answer = answers?.get(context.content.trim());
      if (answer === undefined) return Action.CONTINUE;
      event.reply = toReply(answer);
      return Action.BREAK_PASS;
    },
  });
}

export function parseKeywords(text: string, path: string): Map<string, string> {
  const parsed = JSON.parse(text) as unknown;
  const table = isObject(parsed) && isObject(parsed.keyword) ? parsed.keyword : parsed;
  if (!isObject(table)) throw new Error(`${path} must be a JSON object {"question": "answer"}`);
  return new Map(Object.entries(table).map(([q, a]) => [q.trim(), String(a)]));
}

function toReply(answer: string): Reply {
  return IMAGE_URL.test(answer.trim()) ? { type: 'IMAGE_URL', content: answer.trim() } : textReply(answer);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
