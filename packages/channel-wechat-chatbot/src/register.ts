import { registerChannel, TOKENS } from '@wecom-bot/core';
import type { DependencyContainer } from 'tsyringe';
import { CHANNEL_NAME, WechatChatbotChannel } from './channel.js';
import type { WechatChatbotConfig } from './config.js';

/** Offers channel_type "wechat_chatbot"; the channel is built only when that type is chosen. */
export function registerWechatChatbot(container: DependencyContainer): void {
  registerChannel(container, CHANNEL_NAME, (c) => {
    const config = c.resolve(TOKENS.Config) as WechatChatbotConfig & Record<string, unknown>;
    return new WechatChatbotChannel({ config, logger: c.resolve(TOKENS.Logger) });
  });
}
