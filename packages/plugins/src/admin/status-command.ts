import { coreConfigSection, type PluginHost } from '@wecom-bot/core';
import type { AdminCommand } from './admin-command.js';

/** How many of the recent errors `#status` shows. */
const ERRORS_SHOWN = 5;

/**
 * `#status`: what an administrator asks a running bot first. Version and uptime, channel and
 * model, what is in flight (the pipeline's queue, the AI bot's open streams), whether the
 * instance is ready, and the last few errors users met (error replies, failed sends).
 */
export const STATUS_COMMAND: AdminCommand = {
  name: 'status',
  aliases: ['status', '状态'],
  description: '查看运行状态：版本、运行时长、通道、模型、队列和最近的错误',
  adminOnly: true,
  async run({ host }) {
    return statusText(host);
  },
};

export async function statusText(host: PluginHost): Promise<string> {
  const { ops } = host;
  const core = coreConfigSection.read(host.config);
  const readiness = await ops.readiness.report();
  const notReady = Object.entries(readiness.checks)
    .filter(([, state]) => !state.ready)
    .map(([name, state]) => `${name}：${state.detail}`);
  const errors = ops.recentErrors.last(ERRORS_SHOWN);
  return [
    `wecom-bot ${ops.version}，已运行 ${duration(ops.uptimeSeconds)}`,
    `通道：${core.channel_type}`,
    `模型：${core.model}（${core.bot_type}）`,
    `处理中的消息：${ops.metrics.queueDepth}`,
    `进行中的流式回答：${ops.metrics.openStreams}`,
    `就绪：${readiness.ready ? '是' : `否（${notReady.join('；')}）`}`,
    errors.length === 0 ? '最近的错误：无' : `最近的错误（最新的在最后）：\n${errors.map((e) => `${clock(e.at)} ${e.text}`).join('\n')}`,
  ].join('\n');
}

/** "2天3小时" / "3小时5分" / "4分12秒": the two largest units. */
function duration(totalSeconds: number): string {
  const units: Array<[number, string]> = [
    [Math.floor(totalSeconds / 86_400), '天'],
    [Math.floor(totalSeconds / 3_600) % 24, '小时'],
    [Math.floor(totalSeconds / 60) % 60, '分'],
    [totalSeconds % 60, '秒'],
  ];
  const first = units.findIndex(([n]) => n > 0);
  if (first === -1) return '0秒';
  return units
    .slice(first, first + 2)
    .filter(([n]) => n > 0)
    .map(([n, unit]) => `${n}${unit}`)
    .join('');
}

/** The server's local time of day, as its logs show it. */
function clock(at: number): string {
  return new Date(at).toTimeString().slice(0, 8);
}
