/** `wecom-bot dev`: the configured bot against local stand-ins for WeCom, shown in a page like the WeCom client. */
export { startDevServer, type DevServer, type DevServerOptions } from './dev-server.js';
export { devConfigs, DEV_IDS, OVERRIDDEN_KEYS } from './dev-config.js';
export type { ChatMessage, DevRecord, DevInfo, ServerEvent, ChatId } from './protocol.js';
