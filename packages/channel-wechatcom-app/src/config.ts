import { defineConfigSection, type SectionConfig } from '@wecom-bot/core';
import { describeAesKeyProblem } from '@wecom-bot/wx-crypto';
import { z } from 'zod';
import { WECOM_APP_SVR_ENV, flattenServicesLayout } from './legacy-config.js';

/** EncodingAESKey as the admin page generates it: 43 characters of base64 (a 32-byte key once "=" is added). */
export const AES_KEY_PATTERN = /^[A-Za-z0-9+/]{43}$/;

export const DEFAULT_API_BASE = 'https://qyapi.weixin.qq.com';

const text = (description: string) => z.string().default('').describe(description);

const shape = {
  wechatcom_corp_id: text('Corp ID (企业ID), admin console → My Company → Company Information.'),
  wechatcomapp_token: text('Token of the app\'s "Receive messages via API" settings.'),
  wechatcomapp_secret: text("The self-built app's Secret (App Management → your app)."),
  // A number in most configs, a string in some: both are accepted and kept as text.
  wechatcomapp_agent_id: z
    .union([z.string(), z.number().int()])
    .default('')
    .transform((v) => String(v))
    .describe("The self-built app's AgentId."),
  wechatcomapp_aes_key: text('EncodingAESKey of the "Receive messages via API" settings (43 characters).'),
  wechatcomapp_port: z.number().int().min(0).max(65535).default(9898).describe('Port of the callback server.'),
  wechatcomapp_host: z.string().default('0.0.0.0').describe('Address the callback server listens on.'),
  wechatcomapp_path: z.string().default('/wxcomapp').describe('Path of the callback URL.'),
  wechatcomapp_public_url: text(
    'The callback URL as WeCom calls it, e.g. https://bot.example.com/wxcomapp (optional): `wecom-bot check --live` sends it a signed URL verification, as WeCom does.',
  ),
  wechatcomapp_api_base: z.string().default(DEFAULT_API_BASE).describe('Base URL of the WeCom API (change for a private deployment or a proxy).'),
  wechatcomapp_max_body_bytes: z
    .number()
    .int()
    .positive()
    .default(64 * 1024)
    .describe('Largest callback body accepted; larger requests get 413.'),
  wechatcomapp_request_timeout_ms: z
    .number()
    .int()
    .min(100)
    .max(120_000)
    .default(10_000)
    .describe('A callback request (headers and body) must arrive within this many ms; slower ones get 408 and are closed. Idle connections close after 5 s.'),
  trust_proxy: z
    .boolean()
    .default(false)
    .describe(
      'Set to true only when the callback server sits behind your own reverse proxy (nginx, Caddy): the client address in logs is then the one the proxy appends to X-Forwarded-For. Left false, that header is ignored, since any client can write it.',
    ),
  wechatcomapp_passive_reply_ms: z
    .number()
    .int()
    .min(0)
    .max(4000)
    .default(1000)
    .describe('A reply ready within this many ms goes back in the callback answer (no API call); later ones use message/send. 0 = always message/send. Under load the window shrinks: with n callbacks in the last second (or still waiting), the next waits this × (1 − n/32), none past 32.'),
  wechatcomapp_reply_format: z
    .enum(['text', 'markdown'])
    .default('text')
    .describe(
      'How the bot\'s text and Markdown replies are sent. "text": the Markdown is turned into clean plain text (readable in the WeCom client and the WeChat plugin). "markdown": WeCom markdown messages, which only the WeCom client shows (always through message/send; a passive reply cannot be markdown).',
    ),
};


/** The wechatcom_app channel's keys (chatgpt-on-wechat names), active when channel_type is "wechatcom_app". */
export const wechatcomAppConfigSection = defineConfigSection({
  title: 'wechatcom_app channel',
  shape,
  secrets: ['wechatcomapp_token', 'wechatcomapp_secret', 'wechatcomapp_aes_key'],
  required: ['wechatcom_corp_id', 'wechatcomapp_token', 'wechatcomapp_secret', 'wechatcomapp_agent_id', 'wechatcomapp_aes_key'],
  activeWhen: (c) => c.channel_type === 'wechatcom_app',
  envAliases: WECOM_APP_SVR_ENV,
  legacyLayout: flattenServicesLayout,
  portKey: () => 'wechatcomapp_port',
  check: (c) => shapeProblems(c),
});

export type WechatcomAppConfig = SectionConfig<typeof wechatcomAppConfigSection>;

/** Problems with the shape of set keys (missing keys are reported by `required`). */
export function shapeProblems(c: z.infer<z.ZodObject<typeof shape>>): string[] {
  const problems: string[] = [];
  const aesKey = describeAesKeyProblem('wechatcomapp_aes_key', c.wechatcomapp_aes_key);
  if (aesKey) problems.push(`${aesKey} (the app's API receive settings)`);
  if (c.wechatcomapp_agent_id !== '' && !/^\d+$/.test(c.wechatcomapp_agent_id)) {
    problems.push(`wechatcomapp_agent_id must be the app's numeric AgentId, got "${c.wechatcomapp_agent_id}"`);
  }
  if (!c.wechatcomapp_path.startsWith('/')) problems.push(`wechatcomapp_path must start with "/", got "${c.wechatcomapp_path}"`);
  if (!/^https?:\/\/[^/\s]+/.test(c.wechatcomapp_api_base)) {
    problems.push(`wechatcomapp_api_base must be an http(s) URL, got "${c.wechatcomapp_api_base}"`);
  }
  if (c.wechatcomapp_public_url !== '' && !/^https?:\/\/[^/\s]+/.test(c.wechatcomapp_public_url)) {
    problems.push(`wechatcomapp_public_url must be an http(s) URL like https://bot.example.com${c.wechatcomapp_path}, got "${c.wechatcomapp_public_url}"`);
  }
  return problems;
}
