import { closest, distance } from 'fastest-levenshtein';
import type { DependencyContainer } from 'tsyringe';
import { openaiConfigSection, registerOpenAIBot, checkOpenAI } from '@wecom-bot/bot-openai';
import { checkWechatChatbot, registerWechatChatbot, wechatChatbotConfigSection, type WechatChatbotConfig } from '@wecom-bot/channel-wechat-chatbot';
import { checkWechatcomApp, registerWechatcomApp, wechatcomAppConfigSection } from '@wecom-bot/channel-wechatcom-app';
import { checkPlugins, describeOutcomes, pluginsConfigSection, registerPlugins, reloadPlugins } from '@wecom-bot/plugins';
import { coreConfigSection, type AnyConfigSection, type AppConfig, type CheckItem } from '@wecom-bot/core';

/**
 * Everything the CLI wires in, one place: each package's config section, its `register…`
 * into the container, and its part of `wecom-bot check`.
 */
export interface Integration {
  name: string;
  sections: AnyConfigSection[];
  register?(container: DependencyContainer): void | Promise<void>;
  check?(config: AppConfig): CheckItem[] | Promise<CheckItem[]>;
  /** `#reload` after config.json was re-read: reload what depends on it; a one-line summary. */
  reload?(container: DependencyContainer): Promise<string>;
  /** The channel_type and bot_type values it provides. */
  channels?: string[];
  bots?: string[];
}

export const integrations: Integration[] = [
  { name: 'core', sections: [coreConfigSection], channels: ['terminal'], bots: ['echo'] },
  {
    name: 'wechatcom_app',
    sections: [wechatcomAppConfigSection],
    register: registerWechatcomApp,
    check: (config) => (config.channel_type === 'wechatcom_app' ? checkWechatcomApp(config) : []),
    channels: ['wechatcom_app'],
  },
  {
    name: 'wechat_chatbot',
    sections: [wechatChatbotConfigSection],
    register: registerWechatChatbot,
    check: (config) => (config.channel_type === 'wechat_chatbot' ? checkWechatChatbot(config as WechatChatbotConfig) : []),
    channels: ['wechat_chatbot'],
  },
  { name: 'openai', sections: [openaiConfigSection], register: registerOpenAIBot, check: checkOpenAI, bots: ['openai'] },
  {
    name: 'plugins',
    sections: [pluginsConfigSection],
    register: async (container) => void (await registerPlugins(container)),
    check: (config) => checkPlugins(config),
    reload: async (container) => `plugins: ${describeOutcomes(await reloadPlugins(container))}`,
  },
];

export const allSections = (): AnyConfigSection[] => integrations.flatMap((i) => i.sections);

/** channel_type and bot_type must name something installed; a typo gets a suggestion. */
export function checkChoices(config: AppConfig): string[] {
  const problems: string[] = [];
  const choose = (key: string, known: string[]) => {
    const value = String(config[key]);
    if (known.includes(value)) return;
    const near = closest(value, known);
    const hint = distance(value, near) <= 3 ? ` Did you mean "${near}"?` : '';
    problems.push(`${key} "${value}" is not one of ${known.join(', ')}.${hint}`);
  };
  choose('channel_type', integrations.flatMap((i) => i.channels ?? []));
  choose('bot_type', integrations.flatMap((i) => i.bots ?? []));
  return problems;
}
