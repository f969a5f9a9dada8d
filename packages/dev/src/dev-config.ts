import { randomBytes } from 'node:crypto';
import { ConfigError, coreConfigSection, type AppConfig, type Integration } from '@wecom-bot/core';
import { integrationSections, validateConfig } from '@wecom-bot/core/runtime';

/** Who plays which part on the page; the ids are made up, the crypto with them is real. */
export const DEV_IDS = {
  corpId: 'wwDevCorp000000001',
  agentId: 1000002,
  member: { id: 'zhangsan', name: '张三' },
  group: { id: 'wrDevGroup0001', name: '产品讨论组' },
  aibotId: 'aibDevBot000001',
} as const;

/** Fresh per run: nothing outside this process can sign a callback or log in as the bot. */
export interface DevSecrets {
  appSecret: string;
  token: string;
  aesKey: string;
  aibotSecret: string;
}

export function makeDevSecrets(): DevSecrets {
  const text = (bytes: number) => randomBytes(bytes).toString('base64url');
  // An EncodingAESKey is 43 characters of standard base64 (32 bytes once "=" is added).
  return { appSecret: text(24), token: text(12), aesKey: randomBytes(32).toString('base64').slice(0, 43), aibotSecret: text(18) };
}

/** Where the two channels are pointed: the stand-ins on loopback. */
export interface StandInAddresses {
  wecomApiBase: string;
  aibotWsUrl: string;
}

/** The keys `wecom-bot dev` sets; a problem the user's config has with one of them does not matter here. */
export const OVERRIDDEN_KEYS = [
  'channel_type', 'wechatcom_corp_id', 'wechatcomapp_token', 'wechatcomapp_secret', 'wechatcomapp_agent_id', 'wechatcomapp_aes_key',
  'wechatcomapp_port', 'wechatcomapp_host', 'wechatcomapp_api_base', 'wecom_bot_mode', 'wecom_bot_id', 'wecom_bot_secret', 'wecom_bot_ws_url',
  'wecom_bot_ops_port',
] as const;

export interface DevConfigs {
  /** channel_type wechatcom_app, pointed at the fake WeCom API, callbacks on a loopback port. */
  app: AppConfig;
  /** channel_type wecom_bot over the long connection, pointed at the fake WeCom. */
  group: AppConfig;
  secretValues: string[];
  /** Said on the page and in the terminal: what the dev server changed and why. */
  notes: string[];
}

/**
 * The user's config twice, once per channel, with the channel keys pointed at the stand-ins.
 * Everything else (bot, model, prompts, plugins, prefixes, reply format) is theirs. With
 * `bot_type` openai and no key for OpenAI's own API, the echo bot answers instead, so the
 * page works on a fresh clone; a key (or another API base, such as Ollama) brings the model.
 */
export function devConfigs(user: AppConfig, problems: readonly string[], integrations: readonly Integration[], ids: StandInAddresses, secrets: DevSecrets): DevConfigs {
  const notes: string[] = [];
  const core = coreConfigSection.read(user);
  const bot: AppConfig = {};
  const noKey = user.open_ai_api_key === '' && /^https:\/\/api\.openai\.com\//.test(String(user.open_ai_api_base ?? 'https://api.openai.com/v1'));
  if (core.bot_type === 'openai' && noKey) {
    Object.assign(bot, { bot_type: 'echo', voice_to_text: '', text_to_voice: '' });
    notes.push('No open_ai_api_key: the echo bot answers (voice arrives as voice). Set OPEN_AI_API_KEY to talk to the model.');
  }
  // Problems with keys set here are moot; the configs built below are validated again, whole.
  const moot = new Set<string>([...OVERRIDDEN_KEYS, ...Object.keys(bot), ...(noKey ? ['open_ai_api_key'] : [])]);
  const remaining = problems.filter((problem) => !moot.has(problem.split(/[\s:]/)[0] ?? ''));
  if (remaining.length > 0) throw new ConfigError(remaining, 'config');
  const sections = integrationSections(integrations);
  const shared = { ...user, ...bot };
  const app = validateConfig(
    {
      ...shared,
      channel_type: 'wechatcom_app',
      wechatcom_corp_id: DEV_IDS.corpId,
      wechatcomapp_agent_id: DEV_IDS.agentId,
      wechatcomapp_secret: secrets.appSecret,
      wechatcomapp_token: secrets.token,
      wechatcomapp_aes_key: secrets.aesKey,
      wechatcomapp_host: '127.0.0.1',
      wechatcomapp_port: 0,
      wechatcomapp_api_base: ids.wecomApiBase,
    },
    sections,
    'dev config (self-built app)',
  );
  const group = validateConfig(
    // No ops server: the stand-in AI bot needs no probes, and a fixed port could clash.
    { ...shared, channel_type: 'wecom_bot', wecom_bot_mode: 'websocket', wecom_bot_id: DEV_IDS.aibotId, wecom_bot_secret: secrets.aibotSecret, wecom_bot_ws_url: ids.aibotWsUrl, wecom_bot_ops_port: -1 },
    sections,
    'dev config (AI bot)',
  );
  return { app: app.config, group: group.config, secretValues: [...app.secretValues, ...group.secretValues], notes };
}
