import type { AppConfig, CheckItem } from '@wecom-bot/core';
import { DEFAULT_API_BASE, shapeProblems, wechatcomAppConfigSection, type WechatcomAppConfig } from './config.js';

/**
 * `wecom-bot check` for the wechatcom_app channel, beside the section's own validation: a
 * summary when every key is set, the callback URL to paste, and warnings. Never prints a secret.
 */
export function checkWechatcomApp(config: AppConfig): CheckItem[] {
  const c = config as WechatcomAppConfig & AppConfig;
  const items: CheckItem[] = [];
  // Missing and malformed keys are the config section's to report (start-up and check share
  // them); this adds what validation cannot say: the URL to paste and what to set up around it.
  const missing = (wechatcomAppConfigSection.required ?? []).some((key) => isBlank(config[key]));
  if (!missing && shapeProblems(withDefaults(c)).length === 0) {
    items.push({ level: 'ok', message: `wechatcom_app keys set (corp id ${c.wechatcom_corp_id}, agent id ${c.wechatcomapp_agent_id}, AES key of 43 characters)` });
  }
  const token = String(c.wechatcomapp_token ?? '');
  if (token !== '' && !/^[A-Za-z0-9]{1,32}$/.test(token)) {
    items.push({ level: 'warn', message: 'wechatcomapp_token is not 1-32 letters or digits, which the admin console generates; check it was copied whole' });
  }
  const port = Number(c.wechatcomapp_port ?? 9898);
  const path = String(c.wechatcomapp_path ?? '/wxcomapp');
  items.push({
    level: 'ok',
    message: `callback URL to paste in the admin console (App → Receive messages → Set API receive): http://<your server's public address>:${port}${path}`,
  });
  const base = String(c.wechatcomapp_api_base ?? DEFAULT_API_BASE);
  if (base !== DEFAULT_API_BASE) items.push({ level: 'warn', message: `WeCom API calls go to ${base}, not ${DEFAULT_API_BASE}` });
  items.push({ level: 'ok', message: "outbound calls need this server's public IP in the app's Trusted IPs (errcode 60020 otherwise; the log names the IP)" });
  return items;
}

function withDefaults(c: Partial<WechatcomAppConfig>): WechatcomAppConfig {
  return {
    wechatcom_corp_id: '',
    wechatcomapp_token: '',
    wechatcomapp_secret: '',
    wechatcomapp_aes_key: '',
    wechatcomapp_port: 9898,
    wechatcomapp_host: '0.0.0.0',
    wechatcomapp_path: '/wxcomapp',
    wechatcomapp_api_base: DEFAULT_API_BASE,
    wechatcomapp_max_body_bytes: 64 * 1024,
    wechatcomapp_passive_reply_ms: 1000,
    ...c,
    wechatcomapp_agent_id: String(c.wechatcomapp_agent_id ?? ''),
  };
}

function isBlank(value: unknown): boolean {
  return value === undefined || value === null || value === '';
}
