import { defineConfigSection, type SectionConfig } from '@wecom-bot/core';
import { describeAesKeyProblem } from '@wecom-bot/wx-crypto';
import { z } from 'zod';

export const CHANNEL_NAME = 'wecom_bot';
export const DEFAULT_WS_URL = 'wss://openws.work.weixin.qq.com';

const text = (description: string) => z.string().default('').describe(description);

/**
 * The AI bot's keys, named as chatgpt-on-wechat 2.x names them (so its config.json loads and
 * WECOM_BOT_ID / WECOM_BOT_SECRET work as the ecosystem uses them).
 */
export const wecomBotConfigSection = defineConfigSection({
  title: 'wecom_bot channel',
  shape: {
    wecom_bot_mode: z.enum(['websocket', 'webhook']).default('websocket').describe('websocket: the long connection (no public IP, no callback URL); webhook: WeCom calls your HTTPS URL.'),
    wecom_bot_id: text('The bot\'s BotID (aib…), from the AI bot\'s API settings (long connection).'),
    wecom_bot_secret: text('The bot\'s Secret for the long connection.'),
    wecom_bot_ws_url: z.string().default(DEFAULT_WS_URL).describe('Long-connection address (private deployments show their own; tests point it at a local server).'),
    wecom_bot_token: text('Webhook mode: the Token of the bot\'s API receive settings.'),
    wecom_bot_aes_key: text('Webhook mode: the EncodingAESKey (43 characters); also decrypts images and files.'),
    wecom_bot_host: z.string().default('0.0.0.0').describe('Address the callback server (webhook mode) or the ops server (websocket mode) listens on.'),
    wecom_bot_port: z.number().int().min(0).max(65535).default(9897).describe('Webhook mode: port of the callback server.'),
    wecom_bot_path: z.string().default('/wecombot').describe('Webhook mode: path of the callback URL.'),
    wecom_bot_ops_port: z.number().int().min(-1).max(65535).default(9899).describe('Websocket mode: port of the ops server (GET /healthz, /readyz, /metrics) for healthchecks and Prometheus; 0 picks a free port, -1 runs none. (In webhook mode the callback server answers these paths.)'),
    wecom_bot_public_url: text('Webhook mode: the callback URL as WeCom calls it, e.g. https://bot.example.com/wecombot (optional): `wecom-bot check --live` sends it a signed URL verification, as WeCom does.'),
    wecom_bot_name: text('The bot\'s display name, to strip "@Name" from group messages exactly (also "@大黄你好" with no space); empty: a leading "@word " is stripped.'),
    wecom_bot_welcome: text('Answer to enter_chat (a member opens the single chat, first time that day); empty: nothing.'),
    wecom_bot_thinking: z.string().default('思考中…').describe('Shown in the bubble at once, until the first words of the answer arrive.'),
    wecom_bot_stream_interval_ms: z.number().int().min(50).default(400).describe('Least time between two stream frames of one answer (the bubble shows the text so far).'),
    wecom_bot_failover_seconds: z.number().positive().default(30).describe('Several instances (store "redis"): one holds the long connection; another takes over this long after the holder dies.'),
    wecom_bot_stream_seconds: z.number().positive().max(355).default(330).describe('An answer not finished this long after the message is sent as a separate message (the stream expires at about 6 minutes).'),
  },
  secrets: ['wecom_bot_secret', 'wecom_bot_token', 'wecom_bot_aes_key'],
  activeWhen: (c) => c.channel_type === CHANNEL_NAME,
  // The webhook's callback server; the long connection dials out, and runs only the ops server.
  portKey: (c) => (c.wecom_bot_mode === 'webhook' ? 'wecom_bot_port' : 'wecom_bot_ops_port'),
  verbatim: ['wecom_bot_id'],
  check: (c) => modeProblems(c),
});

export type WecomBotConfig = SectionConfig<typeof wecomBotConfigSection>;

/** Which keys each mode needs: `required` cannot say "one set or the other". */
function modeProblems(c: { wecom_bot_mode: string; wecom_bot_id: string; wecom_bot_secret: string; wecom_bot_token: string; wecom_bot_aes_key: string; wecom_bot_path: string; wecom_bot_public_url: string }): string[] {
  const problems: string[] = [];
  const need = (key: string, value: string, what: string) => {
    if (value.trim() === '') problems.push(`${key} is required for the wecom_bot channel in ${c.wecom_bot_mode} mode: ${what}`);
  };
  if (c.wecom_bot_mode === 'websocket') {
    need('wecom_bot_id', c.wecom_bot_id, 'the BotID from the AI bot\'s API settings (长连接)');
    need('wecom_bot_secret', c.wecom_bot_secret, 'the Secret shown beside the BotID');
  } else {
    need('wecom_bot_token', c.wecom_bot_token, 'the Token of the bot\'s API receive settings');
    need('wecom_bot_aes_key', c.wecom_bot_aes_key, 'the EncodingAESKey of the bot\'s API receive settings');
    const aesKey = describeAesKeyProblem('wecom_bot_aes_key', c.wecom_bot_aes_key);
    if (aesKey) problems.push(aesKey);
    if (!c.wecom_bot_path.startsWith('/')) problems.push(`wecom_bot_path must start with "/", got "${c.wecom_bot_path}"`);
    if (c.wecom_bot_public_url !== '' && !/^https?:\/\/[^/\s]+/.test(c.wecom_bot_public_url)) {
      problems.push(`wecom_bot_public_url must be an http(s) URL like https://bot.example.com${c.wecom_bot_path}, got "${c.wecom_bot_public_url}"`);
    }
  }
  return problems;
}
