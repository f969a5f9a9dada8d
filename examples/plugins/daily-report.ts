/**
 * Example: a scheduled report. Every day at `at` (the server's local time) it asks the bot
 * for `prompt` and pushes the answer to a member or a group nobody heard from — through
 * `host.push`, which the self-built app (members) and the AI bot's long connection (members
 * and groups) support.
 *
 * config.json: { "plugins": [{ "from": "./examples/plugins/daily-report.ts",
 *   "config": { "to": "wrGROUPCHATID", "group": true, "at": "09:00", "prompt": "写今天的站会提醒" } }] }
 */
import { createContext, definePlugin, type PluginHost } from '@wecom-bot/core';
import { z } from 'zod';

export const configSchema = z.object({
  /** A member's user id, or a group's chat id (with group: true). */
  to: z.string().min(1),
  group: z.boolean().default(false),
  at: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'at must be HH:MM').default('09:00'),
  prompt: z.string().min(1).default('用三句话写今天的工作提醒。'),
});

/** Milliseconds from `now` to the next `HH:MM`, local time (tomorrow when today's has passed). */
export function msUntil(at: string, now = new Date()): number {
  const [hours, minutes] = at.split(':').map(Number) as [number, number];
  const next = new Date(now);
  next.setHours(hours, minutes, 0, 0);
  if (next.getTime() <= now.getTime()) next.setDate(next.getDate() + 1);
  return next.getTime() - now.getTime();
}

export default (config: z.infer<typeof configSchema>) => {
  async function report(host: PluginHost): Promise<void> {
    const question = createContext({ type: 'TEXT', content: config.prompt, channel: 'daily-report', senderId: 'daily-report', sessionId: `daily-report:${config.to}` });
    const answer = await host.bridge.bot.reply(question);
    await host.push({ receiver: config.to, isGroup: config.group }, answer);
    host.logger.info({ to: config.to }, 'daily report sent');
  }

  return definePlugin({
    name: 'daily-report',
    description: `每天 ${config.at} 推送一份报告`,
    setup(host) {
      let timer: NodeJS.Timeout;
      const schedule = () => {
        timer = setTimeout(() => {
          // A failed report is logged; tomorrow's is still scheduled.
          report(host).catch((error: unknown) => host.logger.error({ err: error, to: config.to }, 'daily report failed'));
          schedule();
        }, msUntil(config.at));
        timer.unref();
      };
      schedule();
      return () => clearTimeout(timer);
    },
  });
};
