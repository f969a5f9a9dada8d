// The container's HEALTHCHECK: GET /healthz on the configured channel's server, exit 0 when it
// answers 200. The channel and its port come from the environment (chatgpt-on-wechat's names)
// or ./config.json (the working directory, /data), else the defaults; HEALTHCHECK_URL overrides
// them all. The AI bot's long connection (wecom_bot_mode "websocket") is asked on its ops server
// (wecom_bot_ops_port); the terminal channel, or an ops port of -1, leaves nothing to probe, so
// the check passes while the process runs.
import { existsSync, readFileSync } from 'node:fs';

const file = existsSync('config.json') ? JSON.parse(readFileSync('config.json', 'utf8')) : {};
/** A key as wecom-bot reads it: its upper-cased environment variable first, then config.json. */
const setting = (key, fallback) => {
  const value = process.env[key.toUpperCase()];
  return value !== undefined && value !== '' ? value : (file[key] ?? fallback);
};

function healthUrl() {
  if (process.env.HEALTHCHECK_URL) return process.env.HEALTHCHECK_URL;
  const channel = setting('channel_type', 'wechatcom_app');
  const longConnection = setting('wecom_bot_mode', 'websocket') !== 'webhook';
  const server = {
    wechatcom_app: ['wechatcomapp_host', 'wechatcomapp_port', 9898],
    wecom_bot: longConnection ? ['wecom_bot_host', 'wecom_bot_ops_port', 9899] : ['wecom_bot_host', 'wecom_bot_port', 9897],
    wechat_chatbot: ['wechat_chatbot_host', 'wechat_chatbot_port', 9899],
  }[channel];
  if (server === undefined) return undefined;
  const [hostKey, portKey, defaultPort] = server;
  if (Number(setting(portKey, defaultPort)) < 0) return undefined;
  const host = String(setting(hostKey, '0.0.0.0'));
  const address = host === '0.0.0.0' || host === '::' || host === '' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
  return `http://${address}:${setting(portKey, defaultPort)}/healthz`;
}

const url = healthUrl();
if (url === undefined) process.exit(0);
try {
  const response = await fetch(url, { signal: AbortSignal.timeout(4000) });
  if (response.ok) process.exit(0);
  console.error(`${url} answered ${response.status}`);
} catch (error) {
  console.error(`${url}: ${error instanceof Error ? (error.cause?.message ?? error.message) : String(error)}`);
}
process.exit(1);
