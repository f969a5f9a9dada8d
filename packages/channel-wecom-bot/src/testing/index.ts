/** Test helpers: plays WeCom for the AI bot over loopback. Import from "@wecom-bot/channel-wecom-bot/testing". */
export { FakeAibotServer } from './fake-aibot-server.js';
export { WecomWebhookClient } from './webhook-client.js';
export { startWsBot, stopAll, streamFrames, isFinal, textMessage, BOT_ID, BOT_SECRET, type WsHarness } from './ws-harness.js';
