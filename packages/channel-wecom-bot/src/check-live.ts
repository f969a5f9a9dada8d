import { coreConfigSection, probeCallbackUrl, type AppConfig, type CheckItem, type LiveCheckContext, type Logger } from '@wecom-bot/core';
import { WXBizJsonMsgCrypt } from '@wecom-bot/wx-crypto';
import { wecomBotConfigSection, type WecomBotConfig } from './config.js';
import { runningInstance } from './running-instance.js';
import { Link } from './ws/link.js';

/** How long the subscribe may wait for its ack: WeCom answers within a second. */
const ACK_TIMEOUT_MS = 5_000;

/**
 * `wecom-bot check --live` for the AI bot. Long connection: opens it, subscribes with the bot
 * id and secret, closes it (nothing is sent to anyone). Webhook: the public URL gets the
 * signed URL verification WeCom sends. No secret reaches a line.
 */
export async function checkWecomBotLive(config: AppConfig, { signal, logger }: LiveCheckContext): Promise<CheckItem[]> {
  const c = wecomBotConfigSection.read(config);
  if (c.wecom_bot_mode !== 'websocket') return [await checkWebhookUrl(c, signal)];
  const running = await runningInstance(c, coreConfigSection.read(config).data_dir, signal);
  if (running) {
    return [
      {
        level: 'warn',
        message: `long connection not checked: a wecom-bot with this config is running here (${running}), and WeCom allows one connection per bot, so logging in would take the bot over from it; its /readyz tells whether it is connected`,
      },
    ];
  }
  return [await checkLongConnection(c, signal, logger)];
}

async function checkLongConnection(c: WecomBotConfig, signal: AbortSignal, logger: Logger): Promise<CheckItem> {
  const noop = () => undefined;
  let link: Link;
  try {
    link = await Link.open({
      url: c.wecom_bot_ws_url,
      botId: c.wecom_bot_id,
      secret: c.wecom_bot_secret,
      logger,
      ackTimeoutMs: ACK_TIMEOUT_MS,
      // The link lives for a moment: no heartbeat is due, and any callback is left to WeCom's retry.
      heartbeatMs: 60_000,
      onCallback: noop,
      onReplaced: noop,
      onClosed: noop,
      onHealthy: noop,
    });
  } catch (error) {
    // The long connection's errors name the key to fix and never carry the secret.
    return { level: 'error', message: signal.aborted ? `the AI bot long connection to ${c.wecom_bot_ws_url} did not answer in time` : (error as Error).message };
  }
  await link.close('wecom-bot check --live is done');
  return {
    level: 'ok',
    message:
      `WeCom accepted wecom_bot_id "${c.wecom_bot_id}" and wecom_bot_secret on the long connection (${c.wecom_bot_ws_url}), closed again ` +
      '(a wecom-bot with this bot id on another machine would have been taken over: restart it there)',
  };
}

async function checkWebhookUrl(c: WecomBotConfig, signal: AbortSignal): Promise<CheckItem> {
  if (c.wecom_bot_public_url === '') {
    return {
      level: 'warn',
      message: `webhook mode: nothing checked live; set wecom_bot_public_url to the URL WeCom calls (e.g. https://bot.example.com${c.wecom_bot_path}) to have it checked`,
    };
  }
  const crypt = new WXBizJsonMsgCrypt(c.wecom_bot_token, c.wecom_bot_aes_key, '');
  return probeCallbackUrl({
    url: c.wecom_bot_public_url,
    urlKey: 'wecom_bot_public_url',
    path: c.wecom_bot_path,
    pathKey: 'wecom_bot_path',
    signal,
    sign: (plaintext) => {
      const { encrypt, msgsignature, timestamp, nonce } = crypt.encryptReply(plaintext);
      return { echostr: encrypt, msgSignature: msgsignature, timestamp, nonce };
    },
  });
}
