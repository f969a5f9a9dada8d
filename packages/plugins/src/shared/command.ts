import { defineConfigSection, type Context, type PluginHost, type SectionConfig } from '@wecom-bot/core';
import { z } from 'zod';

/** The command trigger, one key for every plugin with commands: the admin plugin's and users' (through parseCommand). */
export const commandConfigSection = defineConfigSection({
  title: 'plugin commands',
  shape: {
    plugin_trigger_prefix: z.string().min(1).default('#').describe('Commands start with this (#help, #reset…).'),
  },
});

export type CommandConfig = SectionConfig<typeof commandConfigSection>;

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
  const trigger = commandConfigSection.read(host.config).plugin_trigger_prefix;
  const text = context.content.trim();
  if (!text.startsWith(trigger)) return undefined;
  const body = text.slice(trigger.length).trim();
  const match = /^(\S+)\s*([\s\S]*)$/.exec(body);
  if (!match) return undefined;
  const rest = match[2] ?? '';
  return { name: (match[1] ?? '').toLowerCase(), args: rest.split(/\s+/).filter(Boolean), rest };
}
