import { missingKeys, type AppConfig, type CheckItem } from '@wecom-bot/core';
import { DEFAULT_API_BASE, shapeProblems, wechatcomAppConfigSection } from './config.js';

/**
 * `wecom-bot check` for the wechatcom_app channel, beside the section's own validation: a
 * summary when every key is set, the callback URL to paste, and warnings. Never prints a secret.
 */
export function checkWechatcomApp(config: AppConfig): CheckItem[] {
  // A key that failed validation holds its default here (validation reports it).
  const c = wechatcomAppConfigSection.read(config);
  const items: CheckItem[] = [];
  // Missing and malformed keys are the config section's to report (start-up and check share
  // them); this adds what validation cannot say: the URL to paste and what to set up around it.
  if (missingKeys(wechatcomAppConfigSection, config).length === 0 && shapeProblems(c).length === 0) {
    items.push({ level: 'ok', message: `wechatcom_app keys set (corp id ${c.wechatcom_corp_id}, agent id ${c.wechatcomapp_agent_id}, AES key of 43 characters)` });
  }
  if (c.wechatcomapp_token !== '' && !/^[A-Za-z0-9]{1,32}$/.test(c.wechatcomapp_token)) {
    items.push({ level: 'warn', message: 'wechatcomapp_token is not 1-32 letters or digits, which the admin console generates; check it was copied whole' });
  }
  items.push({
    level: 'ok',
    message: `callback URL to paste in the admin console (App → Receive messages → Set API receive): http://<your server's public address>:${c.wechatcomapp_port}${c.wechatcomapp_path}`,
  });
  const base = c.wechatcomapp_api_base;
  if (base !== DEFAULT_API_BASE) items.push({ level: 'warn', message: `WeCom API calls go to ${base}, not ${DEFAULT_API_BASE}` });
  items.push({ level: 'ok', message: "outbound calls need this server's public IP in the app's Trusted IPs (errcode 60020 otherwise; the log names the IP)" });
  return items;
}
