/**
 * Example plugin: `#weather <city>` answers from a small local table, without asking the bot.
 *
 * Shows: a factory that receives its validated config, a zod `configSchema`, a command listed
 * by `#help`, and answering in `onHandleContext` with BREAK_PASS (the bot is not called).
 *
 * config.json:
 *   "plugins": [{ "from": "./examples/plugins/weather.ts", "config": { "unit": "F" } }]
 */
import { Action, definePlugin, textReply } from '@wecom-bot/core';
import { parseCommand } from '@wecom-bot/plugins';
import { z } from 'zod';

/** Checked at start-up: a wrong value stops this plugin with a message naming the key. */
export const configSchema = z.object({
  unit: z.enum(['C', 'F']).default('C'),
  /** Extra cities, e.g. { "成都": 21 }: degrees Celsius. */
  cities: z.record(z.string(), z.number()).default({}),
});

/** Stands in for a weather service: a real plugin would fetch here. */
const TABLE: Record<string, number> = { 北京: 12, 上海: 18, 深圳: 26, beijing: 12, shanghai: 18, shenzhen: 26 };

export default function weather(config: z.infer<typeof configSchema>) {
  const temperatures = { ...TABLE, ...config.cities };
  const show = (celsius: number) => (config.unit === 'F' ? `${Math.round(celsius * 1.8 + 32)}°F` : `${celsius}°C`);

  return definePlugin({
    name: 'weather',
    priority: 100,
    description: 'Answers #weather <city> from a local table.',
    commands: [{ name: 'weather <城市>', description: '查询城市气温' }],

    onHandleContext(event) {
      const command = parseCommand(event.context, event.host);
      if (command?.name !== 'weather') return Action.CONTINUE; // not ours: let others answer
      const city = command.rest.trim();
      const celsius = temperatures[city] ?? temperatures[city.toLowerCase()];
      event.reply = textReply(
        city === '' ? '用法：#weather <城市>' : celsius === undefined ? `暂无 ${city} 的天气。` : `${city}：${show(celsius)}`,
      );
      return Action.BREAK_PASS; // answered: skip the other plugins and the bot
    },
  });
}
