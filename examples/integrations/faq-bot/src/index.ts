import { dirname, resolve } from 'node:path';
import { coreConfigSection, defineIntegration, type AppConfig, type CheckItem } from '@wecom-bot/core';
import { FaqBot } from './bot.js';
import { BOT_NAME, faqConfigSection } from './config.js';
import { FaqFile } from './faq.js';

/** faq_file, from config.json's folder as the user reads it (the working directory without a file). */
function faqPath(config: AppConfig, configPath: string | undefined): string {
  return resolve(configPath ? dirname(configPath) : process.cwd(), faqConfigSection.read(config).faq_file);
}

/**
 * The FAQ bot as wecom-bot loads it: name the package (or this folder) in config.json's
 * `integrations` and set `"bot_type": "faq"`.
 */
export const integration = defineIntegration({
  name: 'faq',
  config: [faqConfigSection],
  bots: {
    [BOT_NAME]: {
      create: (services) => new FaqBot(faqConfigSection.read(services.config), new FaqFile(faqPath(services.config, services.configPath)), services.logger),
    },
  },
  // Here rather than in the bot's own check, which is not told where config.json is.
  check(config, { configPath }): CheckItem[] {
    if (coreConfigSection.read(config).bot_type !== BOT_NAME) return [];
    const path = faqPath(config, configPath);
    try {
      return [{ level: 'ok', message: `faq: ${new FaqFile(path).load().length} answers from ${path}` }];
    } catch (error) {
      return [{ level: 'error', message: `faq: cannot read faq_file: ${(error as Error).message}` }];
    }
  },
});

export default integration;
export { FaqBot } from './bot.js';
export { bestMatch, normalize, parseFaq, FaqFile, type FaqEntry } from './faq.js';
export { faqConfigSection, type FaqConfig } from './config.js';
