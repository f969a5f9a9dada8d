import type { z } from 'zod';
import type { AnyConfigSection, AppConfig } from './section.js';

export interface EnvironmentResult {
  merged: AppConfig;
  /** Key → the environment variable that set it, so a problem points there, not at config.json. */
  sources: Map<string, string>;
  warnings: string[];
}

/** The PaaS convention (Heroku, Railway, Render …): the platform says which port to listen on. */
export const PORT_VARIABLE = 'PORT';

/**
 * Environment overrides: every key's upper-cased name, the sections' aliases (a replaced
 * tool's names) and foreign keys (another tool's keys, mapped later); then `PORT`.
 */
export function applyEnvironment(flat: AppConfig, sections: readonly AnyConfigSection[], env: NodeJS.ProcessEnv): EnvironmentResult {
  const merged: AppConfig = { ...flat };
  const sources = new Map<string, string>();
  const warnings: string[] = [];
  const schemas = new Map(sections.flatMap((s) => Object.entries(s.shape) as Array<[string, z.ZodType]>));
  const candidates = [
    ...sections.flatMap((s) => Object.entries(s.envAliases ?? {}) as Array<[string, string]>),
    ...[...schemas.keys()].map((key) => [key.toUpperCase(), key] as const),
  ];
  for (const [name, key] of candidates) {
    const value = env[name];
    const schema = schemas.get(key);
    if (value === undefined || !schema) continue;
    // `KEY=` (docker-compose's ${UNSET}) on a number, boolean or list key means "not set", not a broken value.
    if (value === '' && !schema.safeParse('').success) {
      warnings.push(`the environment variable ${name} is empty; ignored, ${key} keeps its config.json or default value`);
      continue;
    }
    merged[key] = coerceEnv(value, schema);
    sources.set(key, name);
  }
  for (const name of sections.flatMap((s) => s.foreignKeys?.names ?? [])) {
    const value = env[name.toUpperCase()];
    if (value === undefined || value === '') continue;
    merged[name] = value;
    sources.set(name, name.toUpperCase());
  }
  applyPort(merged, sections, env, sources, warnings);
  return { merged, sources, warnings };
}

/**
 * `PORT` sets the port of the server that runs (the sections in use that declare a
 * `portKey`) when that key is set neither in config.json nor by its own variable.
 */
function applyPort(merged: AppConfig, sections: readonly AnyConfigSection[], env: NodeJS.ProcessEnv, sources: Map<string, string>, warnings: string[]): void {
  const value = env[PORT_VARIABLE];
  if (value === undefined || value.trim() === '') return;
  const provisional = withDefaults(merged, sections);
  const keys = sections.filter((s) => s.portKey && (!s.activeWhen || s.activeWhen(provisional))).map((s) => s.portKey?.(provisional));
  const portKeys = keys.filter((k): k is string => k !== undefined);
  if (portKeys.length === 0) {
    warnings.push(`the environment variable ${PORT_VARIABLE} is set, but channel_type "${String(provisional.channel_type)}" runs no server in this mode; ignored`);
    return;
  }
  for (const key of portKeys) {
    if (merged[key] !== undefined) continue; // config.json or the key's own variable wins
    merged[key] = /^\d+$/.test(value.trim()) ? Number(value.trim()) : value;
    sources.set(key, PORT_VARIABLE);
  }
}

/** Every key with its value, or its default where it is unset or invalid: enough to ask `activeWhen`. */
export function withDefaults(raw: AppConfig, sections: readonly AnyConfigSection[]): AppConfig {
  const config: AppConfig = { ...raw };
  for (const section of sections) {
    for (const [key, schema] of Object.entries(section.shape) as Array<[string, z.ZodType]>) {
      const parsed = schema.safeParse(raw[key]);
      config[key] = parsed.success ? parsed.data : schema.safeParse(undefined).data;
    }
  }
  return config;
}

/**
 * An environment variable is a string; keep it one when the key takes strings (a numeric
 * corp id stays text), otherwise read it as JSON (numbers, booleans, lists), and
 * True/False as booleans (chatgpt-on-wechat's docker-compose writes SPEECH_RECOGNITION: 'False').
 */
function coerceEnv(value: string, schema: z.ZodType): unknown {
  if (schema.safeParse(value).success) return value;
  try {
    return JSON.parse(value);
  } catch {
    const lower = value.trim().toLowerCase();
    if ((lower === 'true' || lower === 'false') && schema.safeParse(lower === 'true').success) return lower === 'true';
    return value;
  }
}
