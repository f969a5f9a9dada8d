import { channelOutbox, defineIntegration } from '@wecom-bot/core';
import { WechatcomAppChannel } from './channel.js';
import { checkWechatcomApp } from './check.js';
import { checkWechatcomAppLive } from './check-live.js';
import { wechatcomAppConfigSection } from './config.js';
import { CHANNEL_NAME } from './inbound/to-context.js';

/** channel_type "wechatcom_app": the WeCom self-built app's callback server and API client. */
export const wechatcomAppIntegration = defineIntegration({
  name: CHANNEL_NAME,
  config: [wechatcomAppConfigSection],
  channels: {
    [CHANNEL_NAME]: {
      create: (services) =>
        new WechatcomAppChannel(wechatcomAppConfigSection.read(services.config), {
          logger: services.logger,
          secrets: services.secrets,
          seen: services.stores.seen,
          pacing: services.stores.pacing,
          ops: services.ops,
          outbox: channelOutbox(CHANNEL_NAME, services),
        }),
      check: checkWechatcomApp,
      checkLive: checkWechatcomAppLive,
    },
  },
});
