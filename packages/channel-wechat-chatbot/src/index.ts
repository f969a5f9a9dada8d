export { wechatChatbotConfigSection, type WechatChatbotConfig } from './config.js';
export { wechatChatbotIntegration } from './integration.js';
export { checkWechatChatbot } from './check.js';
export { WechatChatbotChannel, CHANNEL_NAME, type WechatChatbotChannelOptions } from './channel.js';
export { PendingAnswers, type PendingAnswersOptions } from './pending-answers.js';
export { renderSkillResponse } from './skill-response.js';
export { skillSignature } from './modes/skill-api.js';
export { SendmsgClient, SendmsgError } from './sendmsg-client.js';
