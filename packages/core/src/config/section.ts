import type { z } from 'zod';

/** A config object after validation: every known key, defaults filled in. */
export type AppConfig = Record<string, unknown>;

/**
 * A package's slice of config.json: flat keys (chatgpt-on-wechat style) with their schema,
 * default and description (`.describe()`), which of them are secrets, and which are
 * required when the section is in use (e.g. the WeCom keys when channel_type is wechatcom_app).
 */
export interface ConfigSection<S extends z.ZodRawShape = z.ZodRawShape> {
  /** Shown in error messages: "wechatcom_app channel". */
  title: string;
  shape: S;
  secrets?: ReadonlyArray<keyof S & string>;
  required?: ReadonlyArray<keyof S & string>;
  /** When absent, the section is always in use. */
  activeWhen?(config: AppConfig): boolean;
  /** Cross-key checks; each string is one problem, worded for the user. */
  // Method syntax on purpose: sections of different shapes then fit in one list.
  check?(config: z.infer<z.ZodObject<S>> & AppConfig): string[];
}

/** A section of any shape, for lists of sections. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyConfigSection = ConfigSection<any>;

export function defineConfigSection<S extends z.ZodRawShape>(section: ConfigSection<S>): ConfigSection<S> {
  return section;
}

/** The typed view of a section within a validated config. */
export type SectionConfig<T> = T extends ConfigSection<infer S> ? z.infer<z.ZodObject<S>> : never;
