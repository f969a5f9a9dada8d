import { channelOutbox, defineIntegration, type AppConfig, type CheckItem, type IntegrationServices } from '@wecom-bot/core';
import { WecomBotChannel } from './channel.js';
import { checkWecomBotLive } from './check-live.js';
import { CHANNEL_NAME, DEFAULT_WS_URL, wecomBotConfigSection } from './config.js';
import { WebhookTransport } from './webhook-transport.js';
import { WsTransport } from './ws-transport.js';
import { ConnectionLease } from './ws/connection-lease.js';

function createChannel(services: IntegrationServices): WecomBotChannel {
  const config = wecomBotConfigSection.read(services.config);
  const { logger, ops, instanceId } = services;
  const outbox = channelOutbox(CHANNEL_NAME, services);
  const deps = { logger, seen: services.stores.seen, ops, outbox };
  if (config.wecom_bot_mode === 'webhook') return new WecomBotChannel(config, new WebhookTransport(config, logger, ops), deps);
  const lease = new ConnectionLease({ leases: services.stores.leases, name: `wecom_bot:${config.wecom_bot_id}`, holder: instanceId, logger, ttlMs: config.wecom_bot_failover_seconds * 1000 });
  return new WecomBotChannel(config, new WsTransport(config, logger, {}, lease), deps);
}

/** `wecom-bot check` lines for the AI bot: which mode, and what to set up around it. Never a secret. */
function checkWecomBot(raw: AppConfig): CheckItem[] {
  const c = wecomBotConfigSection.read(raw);
  if (c.wecom_bot_mode === 'websocket') {
    const items: CheckItem[] = [{ level: 'ok', message: `AI bot over the long connection to ${c.wecom_bot_ws_url}: no public IP or callback URL needed` }];
    if (c.wecom_bot_ws_url !== DEFAULT_WS_URL) items.push({ level: 'warn', message: `wecom_bot_ws_url is not ${DEFAULT_WS_URL} (a private deployment or a test server)` });
    items.push({ level: 'ok', message: 'one connection per bot: a second instance with the same wecom_bot_id takes the bot over and this one stops' });
    return items;
  }
  return [{ level: 'ok', message: `AI bot webhook: set the bot's URL to https://<your host>${c.wecom_bot_path}, forwarded to port ${c.wecom_bot_port}` }];
}

/** channel_type "wecom_bot": the WeCom AI bot (智能机器人), group chats and streamed answers. */
export const wecomBotIntegration = defineIntegration({
  name: CHANNEL_NAME,
  config: [wecomBotConfigSection],
  channels: { [CHANNEL_NAME]: { create: createChannel, check: checkWecomBot, checkLive: checkWecomBotLive } },
});
