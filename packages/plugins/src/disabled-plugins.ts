import { defineConfigSection, type AppConfig } from '@wecom-bot/core';
import { z } from 'zod';

/** Read by both loaders: a built-in and a user plugin are switched off the same way. */
export const disabledPluginsConfigSection = defineConfigSection({
  title: 'plugins',
  shape: {
    disabled_plugins: z.array(z.string()).default([]).describe('Plugins (built-in or user) loaded but switched off, by name; #plugins enable turns one on.'),
  },
});

export function isDisabled(config: AppConfig, name: string): boolean {
  return disabledPluginsConfigSection.read(config).disabled_plugins.includes(name);
}
