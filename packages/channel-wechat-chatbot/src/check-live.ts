import { describeFetchFailure, type AppConfig, type CheckItem, type LiveCheckContext } from '@wecom-bot/core';
import { wechatChatbotConfigSection } from './config.js';

/**
 * `wecom-bot check --live` for the dialogue platform. It has no read-only API to prove the
 * TOKEN with (its one API, openapi/sendmsg, sends to a user), so only what is safe is done:
 * when customer-service replies are configured (APPID set), that the platform answers at all.
 */
export async function checkWechatChatbotLive(config: AppConfig, { signal }: LiveCheckContext): Promise<CheckItem[]> {
  const c = wechatChatbotConfigSection.read(config);
  const items: CheckItem[] = [
    { level: 'warn', message: 'wechat_chatbot TOKEN, EncodingAESKey and APPID are not checked live: the platform has no API that reads without sending to a user' },
  ];
  if (!c.wechat_chatbot_appid) return items;
  const base = c.wechat_chatbot_api_base.replace(/\/+$/, '');
  try {
    // Any HTTP answer proves the way out; the body is of no interest.
    const response = await fetch(base, { signal, redirect: 'manual' });
    await response.body?.cancel();
    items.push({ level: 'ok', message: `${base} answers from this server (HTTP ${response.status}): customer-service replies can reach the platform` });
  } catch (error) {
    items.push({ level: 'error', message: `${describeFetchFailure(error, base, signal)}: customer-service replies (mode 3) cannot be sent; check wechat_chatbot_api_base and outbound HTTPS` });
  }
  return items;
}
