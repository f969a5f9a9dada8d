import type { AppConfig, CheckItem } from '@wecom-bot/core';
import { describeAesKeyProblem } from '@wecom-bot/wx-crypto';
import { wechatChatbotConfigSection } from './config.js';
import { legacyApiListenHost } from './modes/legacy-api.js';

/**
 * `wecom-bot check` for channel_type "wechat_chatbot": the keys, and which URL goes where in
 * the platform console. The public address is not known here: the URLs show <your-host>.
 */
export function checkWechatChatbot(config: AppConfig): CheckItem[] {
  const items: CheckItem[] = [];
  const c = wechatChatbotConfigSection.read(config);
  if (!c.wechat_chatbot_token) items.push({ level: 'error', message: 'wechat_chatbot_token is empty: copy TOKEN from the platform console (应用绑定 → 开放API)' });
  else items.push({ level: 'ok', message: 'wechat_chatbot_token is set' });
  // A malformed key is the config section's to report, with what is wrong; no second line here.
  if (c.wechat_chatbot_aes_key !== '' && describeAesKeyProblem('wechat_chatbot_aes_key', c.wechat_chatbot_aes_key) === undefined) {
    items.push({ level: 'ok', message: 'wechat_chatbot_aes_key is a valid EncodingAESKey' });
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
    { level: 'ok', message: `server listens on ${legacyApiListenHost(c)}:${port}; put an HTTPS reverse proxy in front (the platform calls HTTPS URLs without a port)` },
    { level: 'ok', message: `mode 1, skill reply by API: in a skill's 接口调用 settings, URL ${base}${c.wechat_chatbot_skill_path} (signature ${c.wechat_chatbot_verify_signature ? 'checked' : 'not checked'}, encryption ${c.wechat_chatbot_encrypt ? 'on' : 'off'}: match the console)` },
    c.wechat_chatbot_api_key
      ? { level: 'ok', message: `mode 2, legacy third-party service: service URL ${base}${c.wechat_chatbot_api_path}?key=<wechat_chatbot_api_key> (GET), output slot "${c.wechat_chatbot_api_output_slot}"` }
      : c.wechat_chatbot_api_public
        ? { level: 'warn', message: `mode 2, legacy third-party service: service URL ${base}${c.wechat_chatbot_api_path} (GET), output slot "${c.wechat_chatbot_api_output_slot}"; wechat_chatbot_api_public is on: anyone who knows this URL can chat as any user (admin commands are refused in mode 2); set wechat_chatbot_api_key to require a key` }
        : { level: 'warn', message: `mode 2, legacy third-party service: wechat_chatbot_api_key is empty, so the server listens on ${legacyApiListenHost(c)} only (your HTTPS proxy must run on this host) and admin commands are refused in mode 2; set wechat_chatbot_api_key and use ${base}${c.wechat_chatbot_api_path}?key=<wechat_chatbot_api_key>` },
    { level: 'ok', message: `mode 3, third-party customer service: 发布管理 → 应用绑定 → 开放API → 回调地址 = ${base}${c.wechat_chatbot_kefu_path}; replies go to ${c.wechat_chatbot_api_base}/openapi/sendmsg/{TOKEN}` },
  );
  return items;
}
