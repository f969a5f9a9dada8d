import type { z } from 'zod';

/** A config object as read from config.json and the environment: flat keys, not yet typed. */
export type AppConfig = Record<string, unknown>;

/**
 * What a package declares about its slice of config.json: flat keys (chatgpt-on-wechat
 * style) with their schema, default and description (`.describe()`), which of them are
 * secrets, and which are required when the section is in use (e.g. the WeCom keys when
 * channel_type is wechatcom_app).
 */
export interface ConfigSectionSpec<S extends z.ZodRawShape = z.ZodRawShape> {
  /** Shown in error messages: "wechatcom_app channel". */
  title: string;
  shape: S;
  secrets?: ReadonlyArray<keyof S & string>;
  required?: ReadonlyArray<keyof S & string>;
  /** When absent, the section is always in use. */
  activeWhen?(config: AppConfig): boolean;
  /** Other environment variable names for keys (a tool this one replaces used them); the key's own name wins. */
  envAliases?: Readonly<Record<string, keyof S & string>>;
  /**
   * Reads a config.json layout of a tool this one replaces as our flat keys; returns
   * undefined when `raw` is not that layout. `name` is said in a start-up warning.
   */
  legacyLayout?(raw: AppConfig): { config: AppConfig; name: string } | undefined;
  /**
   * Keys another tool names differently (chatgpt-on-wechat 2.x's deepseek_api_key …): read
   * from config.json or their upper-cased environment variable, never reported as unknown.
   * `map` says which of our keys they fill; the loader sets only keys the user left unset.
   */
  foreignKeys?: { names: readonly string[]; map(raw: AppConfig): ForeignKeyMapping[] };
  /**
   * The key of the port this section's server listens on, when it runs one (the channel's
   * mode may decide): the PaaS convention `PORT` sets it when the key itself is not set.
   */
  portKey?(config: z.infer<z.ZodObject<S>> & AppConfig): (keyof S & string) | undefined;
  /**
   * Keys copied by hand from a console besides the secrets and required keys (an id): their
   * values are refused with surrounding whitespace or as a template's placeholder.
   */
  verbatim?: ReadonlyArray<keyof S & string>;
  /** Cross-key checks; each string is one problem, worded for the user. */
  // Method syntax on purpose: sections of different shapes then fit in one list.
  check?(config: z.infer<z.ZodObject<S>> & AppConfig): string[];
}

export interface ConfigSection<S extends z.ZodRawShape = z.ZodRawShape> extends ConfigSectionSpec<S> {
  /**
   * The typed, defaulted view of this section within a validated config. It is the live
   * object itself (`#reload` updates it in place), so read it where the value is used.
   */
  read(config: AppConfig): Readonly<z.infer<z.ZodObject<S>>>;
}

/** One of our keys filled from another tool's key: `from` names it in the start-up warning. */
export interface ForeignKeyMapping {
  key: string;
  value: unknown;
  from: string;
}

/** A section of any shape, for lists of sections. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyConfigSection = ConfigSection<any>;

/** The typed view of a section within a validated config. */
export type SectionConfig<T> = T extends ConfigSection<infer S> ? Readonly<z.infer<z.ZodObject<S>>> : never;

/** Which sections each validated config object was checked against (filled by the loader). */
const validatedWith = new WeakMap<AppConfig, ReadonlySet<AnyConfigSection>>();

/** The loader's stamp: `config` now holds every key of `sections`, typed and defaulted. */
export function markValidated(config: AppConfig, sections: readonly AnyConfigSection[]): void {
  validatedWith.set(config, new Set(sections));
}

export function defineConfigSection<S extends z.ZodRawShape>(spec: ConfigSectionSpec<S>): ConfigSection<S> {
  const section: ConfigSection<S> = {
    ...spec,
    read(config) {
      // The one place a config object becomes a section's type: only after the loader has
      // validated and defaulted it against this very section.
      if (!validatedWith.get(config)?.has(section)) {
        throw new Error(`the config was not validated with the ${spec.title} section: list its package among the integrations the app is built from`);
      }
      return config as Readonly<z.infer<z.ZodObject<S>>>;
    },
  };
  return section;
}

/** The typed view of several sections at once (a bot reads core keys beside its own): the same live object. */
export function readSections<A extends z.ZodRawShape, B extends z.ZodRawShape>(
  config: AppConfig,
  a: ConfigSection<A>,
  b: ConfigSection<B>,
): Readonly<z.infer<z.ZodObject<A>> & z.infer<z.ZodObject<B>>> {
  a.read(config);
  return b.read(config) as Readonly<z.infer<z.ZodObject<A>> & z.infer<z.ZodObject<B>>>;
}
