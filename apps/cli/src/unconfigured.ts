/** Variables that say nothing about what to run: set alone, they leave the deployment unconfigured. */
const NOT_CONFIGURATION = new Set(['log_level']);
/** Set by every PaaS whatever the app; it only moves the port of a configured channel. */
const PAAS_PORT = 'PORT';

/** The keys the environment really configured (LOG_LEVEL and PORT alone do not count). */
export function settingsFromEnvironment(fromEnvironment: ReadonlyMap<string, string>): string[] {
  return [...fromEnvironment].filter(([key, variable]) => !NOT_CONFIGURATION.has(key) && variable !== PAAS_PORT).map(([key]) => key);
}

/** The first problem when nothing is set and no terminal is there for the demo: what to set. */
export function nothingConfiguredProblem(path: string): string {
  return (
    `nothing is configured: there is no config file at ${path} and no setting in the environment. ` +
    'Write one with `wecom-bot init` (or pass --config PATH), or set environment variables as in a docker-compose file: ' +
    'CHANNEL_TYPE (wechatcom_app, wecom_bot, wechat_chatbot), the keys of that channel (WECHATCOM_CORP_ID, WECHATCOMAPP_TOKEN … for wechatcom_app) and OPEN_AI_API_KEY. ' +
    'The keys still missing for the default channel and bot follow. (On a terminal, with nothing set, `wecom-bot start` runs the demo instead.)'
  );
}
