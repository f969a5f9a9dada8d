import { defineConfigSection, z, type SectionConfig } from '@wecom-bot/core';

export const BOT_NAME = 'faq';

/** The FAQ bot's keys in config.json (or FAQ_FILE, FAQ_FALLBACK, FAQ_MIN_SCORE in the environment). */
export const faqConfigSection = defineConfigSection({
  title: 'FAQ bot',
  shape: {
    faq_file: z.string().min(1).default('./faq.json').describe('Questions and answers, JSON; a relative path is read from config.json\'s folder. Re-read when it changes.'),
    faq_fallback: z
      .string()
      .min(1)
      .default('抱歉，这个问题我还不会回答。换个说法试试，或联系管理员。')
      .describe('The answer when no question is close enough.'),
    faq_min_score: z.number().min(0).max(1).default(0.5).describe('How alike (0 to 1) a message must be to a question to get its answer.'),
  },
  activeWhen: (c) => c.bot_type === BOT_NAME,
});

export type FaqConfig = SectionConfig<typeof faqConfigSection>;
