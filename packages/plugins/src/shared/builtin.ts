import { readSections, type AnyConfigSection, type AppConfig, type ConfigSection, type Plugin } from '@wecom-bot/core';
import type { z } from 'zod';

/** The typed view a section gives: the live config object, so `#reload` reaches it. */
type View<S extends z.ZodRawShape> = Readonly<z.infer<z.ZodObject<S>>>;

/**
 * A built-in plugin, loaded the way a user plugin module is: where a user plugin exports a
 * `configSchema` for its entry's `config`, a built-in names the config sections it reads
 * (flat keys at the top of config.json, under chatgpt-on-wechat's names); where a user
 * plugin's default export is a factory `(config) => plugin`, `create` gets those keys typed.
 */
export interface BuiltinPlugin {
  readonly config: readonly AnyConfigSection[];
  /** `config` is the validated app config; the factory receives its section's view of it. */
  create(config: AppConfig): Plugin;
}

export function defineBuiltin<S extends z.ZodRawShape>(section: ConfigSection<S>, factory: (config: View<S>) => Plugin): BuiltinPlugin {
  return { config: [section], create: (config) => factory(section.read(config)) };
}

/** A built-in that also reads a section other plugins share (plugin_trigger_prefix): it gets both views as one. */
export function defineBuiltinSharing<A extends z.ZodRawShape, B extends z.ZodRawShape>(
  shared: ConfigSection<A>,
  own: ConfigSection<B>,
  factory: (config: View<A> & View<B>) => Plugin,
): BuiltinPlugin {
  return { config: [shared, own], create: (config) => factory(readSections(config, shared, own)) };
}
