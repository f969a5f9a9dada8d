import { existsSync, readFileSync } from 'node:fs';
import { closest, distance } from 'fastest-levenshtein';
import type { z } from 'zod';
import { IGNORED_COW_KEYS } from './cow-keys.js';
import { ConfigError } from './errors.js';
import { markValidated, type AnyConfigSection, type AppConfig } from './section.js';

export interface LoadConfigOptions {
  /** config.json to read; a missing file is an error only when `mustExist`. */
  path: string;
  mustExist?: boolean;
  /** Used instead of the file when it does not exist (the CLI's demo settings). */
  whenMissing?: AppConfig;
  sections: readonly AnyConfigSection[];
  env?: NodeJS.ProcessEnv;
}

export interface LoadedConfig {
  config: AppConfig;
  /** Things worth saying that do not stop start-up (unknown keys, legacy layouts). */
  warnings: string[];
  /** Values of secret keys, for the logger to mask. */
  secretValues: string[];
  /** Whether a config file was read (false: defaults and environment only). */
  fromFile: boolean;
}

/**
 * Reads config.json, applies legacy layouts and environment overrides, validates every key
 * of every section and throws one ConfigError naming all problems.
 */
export function loadConfig(options: LoadConfigOptions): LoadedConfig {
  const inspected = inspectConfig(options);
  if (inspected.problems.length > 0) throw new ConfigError(inspected.problems, options.path);
  return inspected;
}

/** As loadConfig, but returns the problems instead of throwing (for `wecom-bot check`). */
export function inspectConfig(options: LoadConfigOptions): LoadedConfig & { problems: string[] } {
  const env = options.env ?? process.env;
  const fromFile = existsSync(options.path);
  if (!fromFile && options.mustExist) {
    throw new ConfigError([`file not found. Create one with \`wecom-bot init\`, or pass --config PATH.`], options.path);
  }
  const { config: flat, layout } = readLegacyLayout(fromFile ? readJson(options.path) : { ...options.whenMissing }, options.sections);
  const { merged: raw, sources, warnings } = applyEnvironment(flat, options.sections, env);
  const result = collect(raw, options.sections, sources);
  result.warnings.unshift(...warnings);
  if (layout) result.warnings.unshift(`read the ${layout} layout of ${options.path} as channel_type "${String(flat.channel_type)}"`);
  return { ...result, fromFile };
}

/** Validates an already-merged raw config (tests, `#reload`); throws a ConfigError on problems. */
export function validateConfig(raw: AppConfig, sections: readonly AnyConfigSection[], source = 'config'): Omit<LoadedConfig, 'fromFile'> {
  const { problems, ...result } = collect(raw, sections);
  if (problems.length > 0) throw new ConfigError(problems, source);
  return result;
}

/** `sources` names the environment variable a key came from, so its problem points there, not at config.json. */
function collect(raw: AppConfig, sections: readonly AnyConfigSection[], sources = new Map<string, string>()): Omit<LoadedConfig, 'fromFile'> & { problems: string[] } {
  const from = (key: string) => (sources.has(key) ? ` (set by the environment variable ${sources.get(key)})` : '');
  const problems: string[] = [];
  const warnings: string[] = [];
  const config: AppConfig = {};
  const secretValues: string[] = [];
  for (const section of sections) {
    for (const [key, schema] of Object.entries(section.shape)) {
      const result = (schema as z.ZodType).safeParse(raw[key]);
      if (result.success) config[key] = result.data;
      else {
        problems.push(describeIssue(key, raw[key], result.error) + from(key));
        // The default stands in, so `check` and views still see every key of the section.
        config[key] = (schema as z.ZodType).safeParse(undefined).data;
      }
      if (section.secrets?.includes(key) && typeof raw[key] === 'string') secretValues.push(raw[key]);
    }
  }
  // Every key is present now (a failed one holds its default): cross-key checks read typed views.
  markValidated(config, sections);
  for (const section of sections) {
    if (section.activeWhen && !section.activeWhen(config)) continue;
    for (const key of missingKeys(section, config)) problems.push(`${key} is required for the ${section.title}: ${describeKey(section, key)}${from(key)}`);
    if (section.check) problems.push(...section.check(section.read(config)));
  }
  const known = sections.flatMap((s) => Object.keys(s.shape));
  for (const key of Object.keys(raw)) {
    if (known.includes(key)) continue;
    if (IGNORED_COW_KEYS.has(key)) {
      warnings.push(`${key} is a chatgpt-on-wechat setting that wecom-bot does not use; ignored`);
      continue;
    }
    const near = closest(key, known);
    const hint = near && distance(key, near) <= Math.max(2, Math.floor(key.length / 4)) ? ` (did you mean ${near}?)` : '';
    warnings.push(`unknown key ${key}${hint}; ignored`);
  }
  return { config, warnings, secretValues, problems };
}

function applyEnvironment(
  flat: AppConfig,
  sections: readonly AnyConfigSection[],
  env: NodeJS.ProcessEnv,
): { merged: AppConfig; sources: Map<string, string>; warnings: string[] } {
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
  return { merged, sources, warnings };
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

/** The first section that recognises a legacy layout in `raw` flattens it. */
function readLegacyLayout(raw: AppConfig, sections: readonly AnyConfigSection[]): { config: AppConfig; layout?: string } {
  for (const section of sections) {
    const read = section.legacyLayout?.(raw);
    if (read) return { config: read.config, layout: read.name };
  }
  return { config: raw };
}

function readJson(path: string): AppConfig {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    // A folder, or no permission: the admin's to fix (exit 1), not a crash with a stack.
    throw new ConfigError([`cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}): pass the path of a readable JSON file`], path);
  }
  try {
    const parsed: unknown = JSON.parse(text.replace(/^\uFEFF/, ''));
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('the top level must be a JSON object { … }');
    return parsed as AppConfig;
  } catch (error) {
    throw new ConfigError([`is not valid JSON: ${(error as Error).message}`], path);
  }
}

function describeIssue(key: string, value: unknown, error: z.ZodError): string {
  const issue = error.issues[0];
  const got = value === null ? 'null' : Array.isArray(value) ? 'a list' : typeof value;
  if (issue?.code === 'invalid_type') return `${key} must be ${article(issue.expected)}, got ${got}`;
  const where = issue && issue.path.length > 0 ? ` (at ${issue.path.join('.')})` : '';
  return `${key}: ${issue?.message ?? 'invalid value'}${where}`;
}

function article(type: string): string {
  if (type === 'array') return 'a list';
  if (type === 'object') return 'an object { … }';
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}

function describeKey(section: AnyConfigSection, key: string): string {
  const description = (section.shape[key] as z.ZodType | undefined)?.description;
  return description ?? 'set it in config.json';
}

/** The required keys of `section` that `config` leaves blank (absent, null, "" or NaN). */
export function missingKeys(section: AnyConfigSection, config: AppConfig): string[] {
  return (section.required ?? []).filter((key) => isBlank(config[key]));
}

function isBlank(value: unknown): boolean {
  return value === undefined || value === null || value === '' || (typeof value === 'number' && Number.isNaN(value));
}
