import { defineConfigSection, type SectionConfig } from '@wecom-bot/core';
import { z } from 'zod';

const list = z.array(z.string());

/**
 * The keys of the built-in plugins, with chatgpt-on-wechat's names. Defaults follow it
 * except where a WeCom app differs (see README: single chat prefix, reply prefix, image prefix).
 */
export const pluginsConfigSection = defineConfigSection({
  title: 'plugins',
  shape: {
    single_chat_prefix: list.default([]).describe('Single chat: a message must start with one of these to be answered; [] answers everything.'),
    single_chat_reply_prefix: z.string().default('').describe('Put before every single-chat text reply.'),
    single_chat_reply_suffix: z.string().default('').describe('Put after every single-chat text reply.'),
    group_chat_prefix: list.default(['@bot']).describe('Group: a message starting with one of these is answered (the prefix is removed).'),
    group_chat_keyword: list.default([]).describe('Group: a message containing one of these words is answered.'),
    group_at_off: z.boolean().default(false).describe('Group: true = an @-mention of the bot alone does not trigger an answer.'),
    group_chat_reply_prefix: z.string().default('').describe('Put before every group text reply.'),
    group_chat_reply_suffix: z.string().default('').describe('Put after every group text reply.'),
    group_name_white_list: list.default([]).describe('Groups the bot answers in, by name; ["ALL_GROUP"] for every group; [] for none.'),
    group_name_keyword_white_list: list.default([]).describe('Also answer in groups whose name contains one of these words.'),
    image_create_prefix: list.default(['画']).describe('A text starting with one of these asks for an image (the rest is the prompt).'),
    speech_recognition: z.boolean().default(true).describe('Single chat: transcribe voice messages and answer them as text.'),
    group_speech_recognition: z.boolean().default(false).describe('Group: transcribe voice messages too.'),
    voice_reply_voice: z.boolean().default(false).describe('Answer a voice message with a voice reply.'),
    always_reply_voice: z.boolean().default(false).describe('Answer every message with a voice reply.'),
    ffmpeg_path: z.string().default('').describe('ffmpeg binary to use; empty = FFMPEG_PATH, ffmpeg-static, @ffmpeg-installer/ffmpeg, then ffmpeg on PATH.'),
    ffmpeg_timeout_seconds: z.number().positive().default(30).describe('One ffmpeg run taking longer is killed and the voice message fails.'),
    plugin_trigger_prefix: z.string().min(1).default('#').describe('Commands start with this (#help, #reset…).'),
    admin_password: z.string().default('').describe('Password for #auth; empty turns #auth off (admins then come only from admin_users).'),
    admin_users: list.default([]).describe('Sender ids that are admins without #auth.'),
    banwords_file: z.string().default('').describe('Banned words, one per line; empty = <data_dir>/banwords.txt when it exists.'),
    banwords_action: z.enum(['ignore', 'replace']).default('ignore').describe('A message with a banned word: ignore it, or answer that it must be reworded.'),
    banwords_reply_action: z.enum(['ignore', 'replace', 'off']).default('ignore').describe('A reply with a banned word: drop it, mask the word with *, or send it as is.'),
    keyword_file: z.string().default('').describe('Fixed answers, JSON {"question": "answer or image URL"}; empty = <data_dir>/keyword.json when it exists.'),
    disabled_plugins: list.default([]).describe('Plugins (built-in or user) loaded but switched off, by name; #plugins enable turns one on.'),
  },
  secrets: ['admin_password'],
});

export type PluginsConfig = SectionConfig<typeof pluginsConfigSection>;

/** The live config as the plugins read it (the host's object: `#reload` updates it in place). */
export function pluginsConfig(config: Record<string, unknown>): PluginsConfig {
  return config as PluginsConfig;
}
