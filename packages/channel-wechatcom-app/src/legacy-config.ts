import type { AppConfig } from '@wecom-bot/core';

/**
 * Settings written for the WeCom tools wecom-bot replaces, turned into our flat keys so they
 * load as they are. chatgpt-on-wechat's config.json needs nothing: our keys are its keys.
 */

type Raw = AppConfig;

/** weworktop's `services.weworktop` block → our wechatcom_app keys. */
const WEWORKTOP_KEYS: Record<string, string> = {
  corp_id: 'wechatcom_corp_id',
  corp_secret: 'wechatcomapp_secret',
  agent_id: 'wechatcomapp_agent_id',
  port: 'wechatcomapp_port',
  token: 'wechatcomapp_token',
  aes_key: 'wechatcomapp_aes_key',
};

/** The callback path weworktop serves, entered in the admin console of every app it ran. */
export const WEWORKTOP_CALLBACK_PATH = '/wework_callback';

/** wecom-app-svr's environment variables → our keys. */
export const WECOM_APP_SVR_ENV = {
  WECOM_APP_CORP_ID: 'wechatcom_corp_id',
  WECOM_APP_TOKEN: 'wechatcomapp_token',
  WECOM_APP_AES_KEY: 'wechatcomapp_aes_key',
} as const;

/** weworktop's `services` layout as flat keys, or undefined when `raw` is not that layout. */
export function flattenServicesLayout(raw: Raw): { config: Raw; name: string } | undefined {
  const services = raw.services;
  if (!isObject(services)) return undefined;
  const { services: _services, ...rest } = raw;
  const flat: Raw = { ...rest };
  const channel = services.channel_type;
  const weworktop = channel === 'weworktop' || isObject(services.weworktop);
  if (weworktop) {
    flat.channel_type = 'wechatcom_app';
    const block = isObject(services.weworktop) ? services.weworktop : {};
    for (const [key, value] of Object.entries(block)) flat[WEWORKTOP_KEYS[key] ?? key] = value;
    // WeCom already calls weworktop's URL; moving to wecom-bot must not mean re-verifying it in the console.
    flat.wechatcomapp_path ??= WEWORKTOP_CALLBACK_PATH;
  } else if (typeof channel === 'string') {
    flat.channel_type = channel;
  }
  // Other top-level service settings (model, keys…) keep their names.
  for (const [key, value] of Object.entries(services)) {
    if (key !== 'channel_type' && key !== 'weworktop' && !(key in flat)) flat[key] = value;
  }
  return { config: flat, name: weworktop ? 'weworktop' : '"services"' };
}

function isObject(value: unknown): value is Raw {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
