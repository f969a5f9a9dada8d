import type { AppConfig, CheckItem } from '@wecom-bot/core';
import { decodeEncodingAesKey } from '@wecom-bot/wx-crypto';
import { wechatChatbotConfigSection } from './config.js';

/**
 * `wecom-bot check` for channel_type "wechat_chatbot": the keys, and which URL goes where in
 * the platform console. The public address is not known here: the URLs show <your-host>.
 */
export function checkWechatChatbot(config: AppConfig): CheckItem[] {
  const items: CheckItem[] = [];
  const c = wechatChatbotConfigSection.read(config);
  if (!c.wechat_chatbot_token) items.push({ level: 'error', message: 'wechat_chatbot_token is empty: copy TOKEN from the platform console (应用绑定 → 开放API)' });
  else items.push({ level: 'ok', message: 'wechat_chatbot_token is set' });
  try {
    decodeEncodingAesKey(c.wechat_chatbot_aes_key);
    items.push({ level: 'ok', message: 'wechat_chatbot_aes_key is a valid EncodingAESKey' });
  } catch {
    items.push({ level: 'error', message: 'wechat_chatbot_aes_key is not a valid 43-character EncodingAESKey: copy it from the platform console' });
  }
  if (!c.wechat_chatbot_appid) {
    items.push({ level: 'warn', message: 'wechat_chatbot_appid is empty: customer-service replies (mode 3) cannot be sent and inbound messages are not checked against it' });
  } else items.push({ level: 'ok', message: 'wechat_chatbot_appid is set' });
  if (c.wechat_chatbot_reply_timeout >= 3) {
    items.push({ level: 'warn', message: `wechat_chatbot_reply_timeout is ${c.wechat_chatbot_reply_timeout}s: the platform waits only about 2-3 s, so users may see a timeout instead of the placeholder` });
  }
  if (!c.wechat_chatbot_api_base.startsWith('https://')) {
    items.push({ level: 'warn', message: `wechat_chatbot_api_base ${c.wechat_chatbot_api_base} is not https: fine for a local test server, not for the platform` });
  }
  if (!c.wechat_chatbot_placeholder.includes(c.wechat_chatbot_followup_keyword)) {
    items.push({ level: 'warn', message: `wechat_chatbot_placeholder does not mention the follow-up keyword "${c.wechat_chatbot_followup_keyword}": users will not know how to fetch a late answer` });
  }
  const base = `https://<your-host>`;
  const port = c.wechat_chatbot_port;
  items.push(
    { level: 'ok', message: `server listens on ${c.wechat_chatbot_host}:${port}; put an HTTPS reverse proxy in front (the platform calls HTTPS URLs without a port)` },
    { level: 'ok', message: `mode 1, skill reply by API: in a skill's 接口调用 settings, URL ${base}${c.wechat_chatbot_skill_path} (signature ${c.wechat_chatbot_verify_signature ? 'checked' : 'not checked'}, encryption ${c.wechat_chatbot_encrypt ? 'on' : 'off'}: match the console)` },
    c.wechat_chatbot_api_key
      ? { level: 'ok', message: `mode 2, legacy third-party service: service URL ${base}${c.wechat_chatbot_api_path}?key=<wechat_chatbot_api_key> (GET), output slot "${c.wechat_chatbot_api_output_slot}"` }
      : { level: 'warn', message: `mode 2, legacy third-party service: service URL ${base}${c.wechat_chatbot_api_path} (GET), output slot "${c.wechat_chatbot_api_output_slot}"; anyone who knows this URL can use the bot: set wechat_chatbot_api_key to require a key` },
    { level: 'ok', message: `mode 3, third-party customer service: 发布管理 → 应用绑定 → 开放API → 回调地址 = ${base}${c.wechat_chatbot_kefu_path}; replies go to ${c.wechat_chatbot_api_base}/openapi/sendmsg/{TOKEN}` },
  );
  return items;
}
