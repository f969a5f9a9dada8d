import { openaiIntegration } from '@wecom-bot/bot-openai';
import { wechatChatbotIntegration } from '@wecom-bot/channel-wechat-chatbot';
import { wechatcomAppIntegration } from '@wecom-bot/channel-wechatcom-app';
import { wecomBotIntegration } from '@wecom-bot/channel-wecom-bot';
import type { AnyConfigSection, Integration } from '@wecom-bot/core';
import { coreIntegration, integrationSections } from '@wecom-bot/core/runtime';
import { pluginsIntegration } from '@wecom-bot/plugins';

/**
 * Every package the CLI is built from, one line each: a new channel or bot is its package's
 * integration added here. Order matters only for `check` lines and for plugin loading.
 */
export const integrations: readonly Integration[] = [coreIntegration, wechatcomAppIntegration, wecomBotIntegration, wechatChatbotIntegration, openaiIntegration, pluginsIntegration];

export const allSections = (): AnyConfigSection[] => integrationSections(integrations);
