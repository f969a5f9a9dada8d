import { defineIntegration } from '@wecom-bot/core';
import { CHANNEL_NAME, WechatChatbotChannel } from './channel.js';
import { checkWechatChatbot } from './check.js';
import { checkWechatChatbotLive } from './check-live.js';
import { wechatChatbotConfigSection } from './config.js';

/** channel_type "wechat_chatbot": the WeChat dialogue platform's third-party API backend. */
export const wechatChatbotIntegration = defineIntegration({
  name: CHANNEL_NAME,
  config: [wechatChatbotConfigSection],
  channels: {
    [CHANNEL_NAME]: {
      create: (services) => new WechatChatbotChannel({ config: wechatChatbotConfigSection.read(services.config), logger: services.logger, ops: services.ops, store: services.stores.pending }),
      check: checkWechatChatbot,
      checkLive: checkWechatChatbotLive,
    },
  },
});
