import { container as rootContainer } from 'tsyringe';
import { WechatcomAppChannel, wechatcomAppConfigSection } from '@wecom-bot/channel-wechatcom-app';
import { wecomBotConfigSection } from '@wecom-bot/channel-wecom-bot';
import { FakeWecomApi, WecomCallbackClient } from '@wecom-bot/channel-wechatcom-app/testing';
import { FakeAibotServer } from '@wecom-bot/channel-wecom-bot/testing';
import { coreConfigSection, SecretRegistry, type AppConfig, type Integration } from '@wecom-bot/core';
import { voiceConfigSection } from '@wecom-bot/plugins';
import { assembleApp, type AssembledApp } from '@wecom-bot/core/runtime';
import { AppStandIn } from './app-standin.js';
import { bundlePage } from './bundle.js';
import { DEV_IDS, devConfigs, makeDevSecrets } from './dev-config.js';
import { GroupStandIn } from './group-standin.js';
import { Hub } from './hub.js';
import { devLogger } from './log-tee.js';
import { MediaShelf } from './media.js';
import type { ChatId, FaultName } from './protocol.js';
import { PluginTracer } from './trace.js';
import { VoiceTools } from './voice.js';
import { servePage, type PageActions } from './web.js';

export interface DevServerOptions {
  /** The user's config as loaded (defaults applied), and the problems the loader found in it. */
  config: AppConfig;
  problems?: readonly string[];
  /** The integrations the CLI is built from: both sides are assembled from them, as `start` does. */
  integrations: readonly Integration[];
  configPath?: string;
  /** Secret values the loader found (API keys): masked in every log line and in the panel. */
  secretValues?: readonly string[];
  host?: string;
  /** Port of the page; 0 picks a free one. Default 9800. */
  port?: number;
  /** Where log lines at the configured log_level go. Default stderr. */
  terminal?: NodeJS.WritableStream;
}

export interface DevServer {
  url: string;
  hub: Hub;
  stop(): Promise<void>;
}

/** The app's menu as the admin console would configure it; a click sends its key. */
const DEV_MENU = [
  { name: '帮助', key: 'menu_help' },
  { name: '今日简报', key: 'menu_daily_report' },
];

const FAULT_60020 = { errcode: 60020, errmsg: 'not allow to access from your ip, hint: [dev-server], from ip: 203.0.113.7, more info at https://open.work.weixin.qq.com/devtool/query?e=60020' };

/**
 * `wecom-bot dev`: the configured bot, run twice in this process, as it runs in production
 * but pointed at local stand-ins for WeCom: one app with the self-built app's channel (1:1
 * chat; signed, encrypted callbacks in, a fake WeCom API out) and one with the AI bot's
 * channel (group chat; a fake long connection). A channel_type is one per process in
 * production; here each side is its own assembled app sharing the user's bot settings.
 */
export async function startDevServer(options: DevServerOptions): Promise<DevServer> {
  const secrets = makeDevSecrets();
  const late: { app?: AppStandIn; group?: GroupStandIn } = {};
  let skewMs = 0;
  const cleanups: Array<() => Promise<unknown>> = [];
  const stop = async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => undefined);
  };
  try {
    const api = await FakeWecomApi.start({ corpId: DEV_IDS.corpId, secret: secrets.appSecret, onCall: (call) => void late.app?.onApiCall(call).catch(() => undefined) });
    cleanups.push(() => api.close());
    // The fake's clock runs ahead on demand: the 846608 fault (streams expire at ~6 minutes).
    const aibot = await FakeAibotServer.start({ botId: DEV_IDS.aibotId, secret: secrets.aibotSecret, now: () => Date.now() + skewMs, onFrame: (frame) => late.group?.onFrame(frame) });
    cleanups.push(() => aibot.close());

    const configs = devConfigs(options.config, options.problems ?? [], options.integrations, { wecomApiBase: api.baseUrl, aibotWsUrl: aibot.url }, secrets);
    const registry = new SecretRegistry();
    [...(options.secretValues ?? []), ...configs.secretValues].forEach((value) => registry.add(value));
    const voiceKeys = voiceConfigSection.read(configs.app);
    const appKeys = wechatcomAppConfigSection.read(configs.app);
    const located = await VoiceTools.locate(voiceKeys.ffmpeg_path, voiceKeys.ffmpeg_timeout_seconds);
    const core = { app: coreConfigSection.read(configs.app), group: coreConfigSection.read(configs.group) };
    // The page needs a name to @-mention; the bot's own, when configured.
    const botName = wecomBotConfigSection.read(configs.group).wecom_bot_name || '小微';
    const hub = new Hub({
      bot: core.app.bot_type,
      botName,
      member: DEV_IDS.member,
      group: DEV_IDS.group,
      notes: located.problem ? [...configs.notes, `Voice is off: ${located.problem}`] : configs.notes,
      voice: located.tools !== undefined,
      replyFormat: appKeys.wechatcomapp_reply_format,
      menu: DEV_MENU,
    });
    const logger = devLogger({ secrets: registry, level: core.app.log_level, hub, terminal: options.terminal ?? process.stderr });
    const shelf = new MediaShelf();
    const tracer = new PluginTracer(hub, (chat) => core[chat].bot_type);

    const sides = {} as Record<ChatId, AssembledApp>;
    for (const chat of ['app', 'group'] as const) {
      const assembled = assembleApp(rootContainer.createChildContainer(), { config: configs[chat], secrets: registry, logger: logger.child({ chat }), integrations: options.integrations, configPath: options.configPath });
      assembled.plugins.observer = tracer.observer(chat);
      await assembled.loadPlugins();
      cleanups.push(() => assembled.plugins.disposeAll());
      sides[chat] = assembled;
    }

    let origin = '';
    const actions: PageActions = {
      text: (chat, text) => (chat === 'app' ? need(late.app).text(text) : need(late.group).text(text)),
      async voice(chat, data, format) {
        if (chat !== 'app') throw new Error('in the group, voice reaches the AI bot as WeCom\'s own transcript: type the words instead');
        if (!located.tools) throw new Error(`voice needs ffmpeg with an AMR encoder: ${located.problem ?? ''}`);
        await need(late.app).voice(await located.tools.toAmr(data, format));
      },
      upload(chat, data, contentType, name) {
        if (chat === 'group') return need(late.group).image(data, contentType, name);
        return contentType.startsWith('image/') ? need(late.app).image(data, contentType, name) : need(late.app).file(data, contentType, name);
      },
      event: (request) => need(late.app).event(request.event, request.key),
      fault: (name) => injectFault(name),
    };
    const injectFault = (name: FaultName) => {
      if (name === '846608') return need(late.group).expireStreams();
      if (name === '42001') api.expireTokens();
      else api.failNext('message/send', name === '60020' ? FAULT_60020 : { errcode: 45009, errmsg: 'api freq out of limit' });
      hub.record({ chat: 'app', kind: 'api', title: `fault ${name}: the fake WeCom API answers the next ${name === '42001' ? 'call' : 'message/send'} with it`, ok: false });
    };
    const page = await servePage({ hub, shelf, actions, assets: await bundlePage(), host: options.host ?? '127.0.0.1', port: options.port ?? 9800 });
    origin = page.url;
    cleanups.push(async () => {
      page.server.closeAllConnections();
      await new Promise((resolve) => page.server.close(resolve));
    });

    // Before the channels start: the AI bot's subscribe frame is the first thing worth showing.
    late.group = new GroupStandIn({
      hub,
      shelf,
      server: aibot,
      aibotId: DEV_IDS.aibotId,
      botName,
      member: DEV_IDS.member.id,
      groupId: DEV_IDS.group.id,
      origin: () => origin,
      expireStreamsNow: () => (skewMs += 7 * 60_000),
      sendingTrace: () => tracer.sendingTrace('group'),
    });
    for (const chat of ['app', 'group'] as const) {
      const { channel, pipeline } = sides[chat];
      await channel.start(pipeline.handle);
      cleanups.push(async () => {
        await channel.stop();
        await pipeline.drain(core[chat].shutdown_grace_seconds * 1000);
      });
    }
    const appChannel = sides.app.channel;
    if (!(appChannel instanceof WechatcomAppChannel)) throw new Error('the wechatcom_app integration is missing from the integrations');
    const path = appKeys.wechatcomapp_path;
    const client = new WecomCallbackClient({ url: `http://127.0.0.1:${appChannel.port}${path}`, token: secrets.token, aesKey: secrets.aesKey, corpId: DEV_IDS.corpId });
    // What the admin console does when the URL is saved, and what fails most often for real.
    const verified = await client.verify();
    hub.record({ chat: 'app', kind: 'callback', title: `URL verification (GET ${path}?echostr=…) → HTTP ${verified.status}`, ok: verified.status === 200, response: verified.body });
    late.app = new AppStandIn({ hub, shelf, api, client, corpId: DEV_IDS.corpId, member: DEV_IDS.member.id, voice: located.tools, origin: () => origin, sendingTrace: () => tracer.sendingTrace('app') });
    return { url: page.url, hub, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

function need<T>(value: T | undefined): T {
  if (value === undefined) throw new Error('the dev server is still starting');
  return value;
}
