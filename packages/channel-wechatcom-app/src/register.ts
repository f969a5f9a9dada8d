import { TOKENS, registerChannel } from '@wecom-bot/core';
import type { DependencyContainer } from 'tsyringe';
import { WechatcomAppChannel } from './channel.js';
import type { WechatcomAppConfig } from './config.js';
import { CHANNEL_NAME } from './xml/to-context.js';

/** Offers channel_type "wechatcom_app" to the container; the config must include wechatcomAppConfigSection. */
export function registerWechatcomApp(container: DependencyContainer): void {
  registerChannel(container, CHANNEL_NAME, (c) => {
    const config = c.resolve(TOKENS.Config) as WechatcomAppConfig & Record<string, unknown>;
    const logger = c.resolve(TOKENS.Logger).child({ component: CHANNEL_NAME });
    return new WechatcomAppChannel(config, { logger, secrets: c.resolve(TOKENS.Secrets) });
  });
}
