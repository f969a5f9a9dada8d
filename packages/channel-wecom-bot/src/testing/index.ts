/** Test helpers: plays WeCom for the AI bot over loopback. Import from "@wecom-bot/channel-wecom-bot/testing". */
export { FakeAibotServer } from './fake-aibot-server.js';
export { WecomWebhookClient } from './webhook-client.js';
export { startWsBot, stopAll, streamFrames, isFinal, textMessage, BOT_ID, BOT_SECRET, type WsHarness } from './ws-harness.js';
export { startWebhookBot, stopWebhookBots, FakeWecomHost, streamOf, pollUntilFinished, changes, answeringBot, streamingBot, WEBHOOK_TOKEN, WEBHOOK_AES_KEY, WEBHOOK_PATH, type WebhookHarness, type Shown, type ResponseUrlPost } from './webhook-harness.js';
