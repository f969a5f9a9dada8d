import { existsSync, readFileSync } from 'node:fs';
import { closest, distance } from 'fastest-levenshtein';
import type { z } from 'zod';
import { copiedKeys, copiedValueProblem } from './copied-values.js';
import { IGNORED_COW_KEYS, ignoredCowKeysWarning } from './cow-keys.js';
import { applyEnvironment } from './environment.js';
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
  /** Keys set by environment variables, with the variable's name. */
  fromEnvironment: ReadonlyMap<string, string>;
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
  warnings.push(...applyForeignKeys(raw, options.sections));
  const result = collect(raw, options.sections, sources);
  result.warnings.unshift(...warnings);
  if (layout) result.warnings.unshift(`read the ${layout} layout of ${options.path} as channel_type "${String(flat.channel_type)}"`);
  return { ...result, fromFile, fromEnvironment: sources };
}

/** Another tool's keys (cow 2.x's deepseek_api_key …) fill ours as the sections map them, one warning each. */
function applyForeignKeys(raw: AppConfig, sections: readonly AnyConfigSection[]): string[] {
  const warnings: string[] = [];
  for (const section of sections) {
    for (const { key, value, from } of section.foreignKeys?.map(raw) ?? []) {
      raw[key] = value;
      warnings.push(`${from} is read as ${key}`);
    }
  }
  return warnings;
}

/** Validates an already-merged raw config (tests, `#reload`); throws a ConfigError on problems. */
export function validateConfig(raw: AppConfig, sections: readonly AnyConfigSection[], source = 'config'): Omit<LoadedConfig, 'fromFile' | 'fromEnvironment'> {
  const { problems, ...result } = collect(raw, sections);
  if (problems.length > 0) throw new ConfigError(problems, source);
  return result;
}

/** `sources` names the environment variable a key came from, so its problem points there, not at config.json. */
function collect(raw: AppConfig, sections: readonly AnyConfigSection[], sources = new Map<string, string>()): Omit<LoadedConfig, 'fromFile' | 'fromEnvironment'> & { problems: string[] } {
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
    // A placeholder or a stray space is reported once; the default stands in, so the
    // section's own checks and `required` do not report the same key again.
    const flagged = new Set<string>();
    for (const key of copiedKeys(section)) {
      const problem = copiedValueProblem(key, raw[key], section.secrets?.includes(key) ?? false);
      if (!problem) continue;
      problems.push(problem + from(key));
      flagged.add(key);
      config[key] = (section.shape[key] as z.ZodType).safeParse(undefined).data;
    }
    for (const key of missingKeys(section, config)) {
      if (!flagged.has(key)) problems.push(`${key} is required for the ${section.title}: ${describeKey(section, key)}${from(key)}`);
    }
    if (section.check) problems.push(...section.check(section.read(config)));
  }
  const known = [...sections.flatMap((s) => Object.keys(s.shape)), ...sections.flatMap((s) => s.foreignKeys?.names ?? [])];
  const ignored: string[] = [];
  for (const key of Object.keys(raw)) {
    if (known.includes(key)) continue;
    if (IGNORED_COW_KEYS.has(key)) {
      ignored.push(key);
      continue;
    }
    const near = closest(key, known);
    const hint = near && distance(key, near) <= Math.max(2, Math.floor(key.length / 4)) ? ` (did you mean ${near}?)` : '';
    warnings.push(`unknown key ${key}${hint}; ignored`);
  }
  if (ignored.length > 0) warnings.push(ignoredCowKeysWarning(ignored));
  return { config, warnings, secretValues, problems };
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
