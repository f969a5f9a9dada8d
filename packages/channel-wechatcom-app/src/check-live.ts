import { describeFetchFailure, probeCallbackUrl, type AppConfig, type CheckItem, type LiveCheckContext } from '@wecom-bot/core';
import { WXBizMsgCrypt } from '@wecom-bot/wx-crypto';
import { untrustedIpFrom, WecomErrcode } from './api/errors.js';
import { wechatcomAppConfigSection, type WechatcomAppConfig } from './config.js';

const WHERE_CORP_ID = 'admin console → My Company (我的企业) → Company Information → Corp ID (企业ID), it starts with "ww"';
const WHERE_SECRET = "admin console → App Management (应用管理) → your app → Secret (shown in your WeCom app when you ask to view it); not another app's or the contacts API's";
const INVALID_CORP_ID = 40013;
/** agent/get with an agent id that is not the secret's app. */
const AGENT_ID_ERRCODES = new Set([40056, 301002]);

/** The fields of a WeCom answer the check reads. */
type WecomAnswer = { errcode: number; errmsg?: unknown; access_token?: unknown; name?: unknown };

/**
 * `wecom-bot check --live` for wechatcom_app: gettoken proves the corp id and secret, agent/get
 * (a read, nothing sent) proves this server's IP is trusted and the agent id, and the public
 * URL gets the signed URL verification WeCom sends. No token or secret reaches a line.
 */
export async function checkWechatcomAppLive(config: AppConfig, { signal }: LiveCheckContext): Promise<CheckItem[]> {
  const c = wechatcomAppConfigSection.read(config);
  return [...(await checkApi(c, signal)), await checkPublicUrl(c, signal)];
}

async function checkApi(c: WechatcomAppConfig, signal: AbortSignal): Promise<CheckItem[]> {
  const base = c.wechatcomapp_api_base.replace(/\/+$/, '');
  const token = await call(base, 'gettoken', { corpid: c.wechatcom_corp_id, corpsecret: c.wechatcomapp_secret }, signal);
  if ('failure' in token) return [error(token.failure)];
  if (token.errcode === INVALID_CORP_ID) return [error(`WeCom does not know wechatcom_corp_id "${c.wechatcom_corp_id}" (gettoken errcode 40013): copy it from ${WHERE_CORP_ID}`)];
  if (token.errcode === WecomErrcode.InvalidSecret) {
    return [error(`WeCom refused wechatcomapp_secret for corp ${c.wechatcom_corp_id} (gettoken errcode 40001): copy the app's Secret from ${WHERE_SECRET}`)];
  }
  if (token.errcode || typeof token.access_token !== 'string') return [error(`WeCom gettoken failed (${said(token)}): check wechatcom_corp_id and wechatcomapp_secret`)];
  const items: CheckItem[] = [{ level: 'ok', message: `WeCom accepted wechatcom_corp_id and wechatcomapp_secret (gettoken)` }];

  const agent = await call(base, 'agent/get', { access_token: token.access_token, agentid: c.wechatcomapp_agent_id }, signal);
  if ('failure' in agent) return [...items, error(agent.failure)];
  if (agent.errcode === WecomErrcode.UntrustedIp) {
    const ip = untrustedIpFrom(String(agent.errmsg ?? ''));
    const add = ip ? `add ${ip} to the app's trusted IPs (企业可信IP)` : "add this server's public IP to the app's trusted IPs (企业可信IP)";
    return [...items, error(`WeCom refuses API calls from ${ip ?? 'this server'} (errcode 60020): ${add}, under App Management → your app; replies cannot be sent until then`)];
  }
  if (agent.errcode !== undefined && AGENT_ID_ERRCODES.has(agent.errcode)) {
    return [...items, error(`wechatcomapp_agent_id ${c.wechatcomapp_agent_id} is not the AgentId of the app whose secret is configured (agent/get ${said(agent)}): copy the AgentId from App Management → your app`)];
  }
  if (agent.errcode) return [...items, error(`WeCom agent/get failed (${said(agent)}): replies may fail the same way`)];
  const name = typeof agent.name === 'string' && agent.name !== '' ? ` "${agent.name}"` : '';
  items.push({ level: 'ok', message: `app${name} (agent id ${c.wechatcomapp_agent_id}) answers API calls from this server: its IP is trusted` });
  return items;
}

async function checkPublicUrl(c: WechatcomAppConfig, signal: AbortSignal): Promise<CheckItem> {
  if (c.wechatcomapp_public_url === '') {
    return { level: 'warn', message: `callback URL not checked: set wechatcomapp_public_url to the URL WeCom calls (e.g. https://bot.example.com${c.wechatcomapp_path}) to have it checked` };
  }
  const crypt = new WXBizMsgCrypt(c.wechatcomapp_token, c.wechatcomapp_aes_key, c.wechatcom_corp_id);
  return probeCallbackUrl({
    url: c.wechatcomapp_public_url,
    urlKey: 'wechatcomapp_public_url',
    path: c.wechatcomapp_path,
    pathKey: 'wechatcomapp_path',
    signal,
    sign: (plaintext) => {
      const { encrypt, msgSignature, timestamp, nonce } = crypt.encryptReply(plaintext);
      return { echostr: encrypt, msgSignature, timestamp, nonce };
    },
  });
}

/** One GET to the WeCom API: its JSON answer, or why there is none (never the URL: its query holds the secret or the token). */
async function call(base: string, api: string, query: Record<string, string>, signal: AbortSignal): Promise<WecomAnswer | { failure: string }> {
  const url = new URL(`${base}/cgi-bin/${api}`);
  for (const [key, value] of Object.entries(query)) url.searchParams.set(key, value);
  let response: Response;
  let text: string;
  try {
    response = await fetch(url, { signal });
    text = await response.text();
  } catch (cause) {
    return { failure: `WeCom ${api}: ${describeFetchFailure(cause, base, signal)}; check wechatcomapp_api_base and outbound HTTPS` };
  }
  try {
    const body = JSON.parse(text) as Partial<WecomAnswer> | null;
    if (typeof body === 'object' && body !== null) return { ...body, errcode: Number(body.errcode ?? 0) };
  } catch {
    // falls through: not the WeCom API
  }
  return { failure: `WeCom ${api} answered HTTP ${response.status} without WeCom's JSON: ${base} is not the WeCom API (check wechatcomapp_api_base)` };
}

function error(message: string): CheckItem {
  return { level: 'error', message };
}

function said(answer: WecomAnswer): string {
  return `errcode ${answer.errcode}: ${String(answer.errmsg ?? '').slice(0, 160)}`;
}
