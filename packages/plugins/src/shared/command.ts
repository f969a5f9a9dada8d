import type { Context, PluginHost } from '@wecom-bot/core';

export interface ParsedCommand {
  /** Lower-cased command name without the trigger prefix ("help"). */
  name: string;
  args: string[];
  /** Everything after the command name, as typed. */
  rest: string;
}

/**
 * Reads "#name arg1 arg2" from a TEXT context, with the configured `plugin_trigger_prefix`.
 * Returns undefined for anything else, so a plugin can `if (!cmd) return`.
 */
export function parseCommand(context: Context, host: PluginHost): ParsedCommand | undefined {
  if (context.type !== 'TEXT') return undefined;
  const trigger = String(host.config.plugin_trigger_prefix ?? '#');
  const text = context.content.trim();
  if (!text.startsWith(trigger)) return undefined;
  const body = text.slice(trigger.length).trim();
  const match = /^(\S+)\s*([\s\S]*)$/.exec(body);
  if (!match) return undefined;
  const rest = match[2] ?? '';
  return { name: (match[1] ?? '').toLowerCase(), args: rest.split(/\s+/).filter(Boolean), rest };
}
