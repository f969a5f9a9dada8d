import { z } from 'zod';
import { defineConfigSection, type SectionConfig } from './section.js';

const stringList = z.array(z.string());

/** A text key whose "" (a template's blank) means its default, not an empty value sent on. */
const emptyMeansDefault = (fallback: string) =>
  z
    .string()
    .default(fallback)
    .transform((v) => (v.trim() === '' ? fallback : v));

/** Keys every deployment has, whatever its channel and bot. */
export const coreConfigSection = defineConfigSection({
  title: 'core',
  shape: {
    channel_type: z.string().default('wechatcom_app').describe('Which channel to run: wechatcom_app (the self-built app), wecom_bot (the AI bot), wechat_chatbot, terminal, or one an integration offers.'),
    bot_type: z.string().default('openai').describe('Which bot answers: openai, echo, or one an integration offers.'),
    model: emptyMeansDefault('gpt-4o-mini').describe('Chat model name, passed to the bot; empty means this default (chatgpt-on-wechat 1.7.6\'s template has "").'),
    character_desc: z
      .string()
      .default('You are a helpful assistant working inside WeCom. Answer concisely.')
      .describe('System prompt that opens every conversation.'),
    conversation_max_tokens: z.number().int().positive().default(2500).describe('History kept per session, in tokens; oldest turns go first.'),
    expires_in_seconds: z.number().int().nonnegative().default(3600).describe('A session idle this long starts afresh (0 = never).'),
    group_chat_in_one_session: stringList.default([]).describe('Group names whose members share one conversation; ALL_GROUP for every group.'),
    voice_to_text: z.string().default('openai').describe('Speech-to-text engine for voice messages ("" turns voice input off).'),
    text_to_voice: z.string().default('openai').describe('Text-to-speech engine for voice replies ("" turns voice output off).'),
    max_concurrent_bot_calls: z.number().int().positive().default(8).describe('Bot calls in flight at once across all sessions.'),
    reply_timeout_seconds: z.number().positive().default(120).describe('A message whose handling takes longer gets an error reply and frees its session.'),
    shutdown_grace_seconds: z.number().nonnegative().default(10).describe('On SIGINT/SIGTERM, how long in-flight replies may finish.'),
    error_reply: z.string().default('抱歉，我暂时无法回答，请稍后再试。').describe('What a user sees when handling a message fails.'),
    log_level: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent']).default('info').describe('Log verbosity.'),
    data_dir: z.string().default('./data').describe('Where plugins keep their files (admin list, keyword file).'),
    plugins: z
      .array(z.union([z.string(), z.object({ from: z.string(), enabled: z.boolean().default(true), config: z.record(z.string(), z.unknown()).default({}) })]))
      .default([])
      .describe('User plugins: a path or npm package name, or { "from", "config", "enabled" }.'),
    store: z
      .enum(['disk', 'redis', 'memory'])
      .default('disk')
      .describe('Where state is kept (seen messages and their answers, conversations, settings, the outbox): disk under <data_dir>/state, redis (several instances share it), or memory (lost on restart, so no outbox is kept: a crash loses the answers under way; tests).'),
    redis_url: z.string().default('redis://127.0.0.1:6379').describe('With store "redis": the Redis to use, e.g. redis://:password@host:6379/0.'),
    integrations: z
      .array(z.string())
      .default([])
      .describe('User channels and bots: paths (relative to config.json) or npm package names, each exporting an Integration; read before the other keys, whose sections they may add.'),
  },
  secrets: ['redis_url'],
});

export type CoreConfig = SectionConfig<typeof coreConfigSection>;
