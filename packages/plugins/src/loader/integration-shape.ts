import type { Integration } from '@wecom-bot/core';

type Fields = Record<string, unknown>;

/**
 * Why `value` is not an Integration, worded for its author; undefined when it is one. Checked
 * at load time, because a user's module is plain JavaScript to us: its types were never seen.
 */
export function integrationShapeProblem(value: unknown): string | undefined {
  if (!isObject(value)) return `it exports ${describe(value)}, not an integration: export default defineIntegration({ name, … }) from @wecom-bot/core`;
  if (typeof value.name !== 'string' || value.name.trim() === '') return 'its integration has no name: give it a non-empty "name"';
  const problems: string[] = [];
  if (value.config !== undefined) {
    if (!Array.isArray(value.config)) problems.push('"config" must be a list of config sections');
    else {
      const broken = value.config.flatMap((section: unknown, n) => (isSection(section) ? [] : [n]));
      for (const n of broken) problems.push(`config[${n}] is not a config section: build it with defineConfigSection from @wecom-bot/core`);
    }
  }
  for (const kind of ['channels', 'bots'] as const) {
    const offers = value[kind];
    if (offers === undefined) continue;
    if (!isObject(offers)) {
      problems.push(`"${kind}" must be an object { <name>: { create } }`);
      continue;
    }
    for (const [name, offer] of Object.entries(offers)) {
      if (!isObject(offer) || typeof offer.create !== 'function') problems.push(`${kind}.${name}.create is not a function: offer { create: (services) => … }`);
      else if (offer.check !== undefined && typeof offer.check !== 'function') problems.push(`${kind}.${name}.check is not a function`);
    }
  }
  if (value.voiceEngines !== undefined) {
    if (!isObject(value.voiceEngines)) problems.push('"voiceEngines" must be an object { <name>: (services) => engine }');
    else for (const [name, create] of Object.entries(value.voiceEngines)) if (typeof create !== 'function') problems.push(`voiceEngines.${name} is not a function`);
  }
  for (const hook of ['plugins', 'check', 'reload']) if (value[hook] !== undefined && typeof value[hook] !== 'function') problems.push(`"${hook}" must be a function`);
  return problems.length > 0 ? problems.join('; ') : undefined;
}

/** What `candidate` offers that is already taken (a name, a channel_type, a config key): each would be ambiguous. */
export function integrationConflicts(candidate: Integration, taken: readonly Integration[]): string[] {
  const problems: string[] = [];
  const owner = (has: (i: Integration) => boolean) => taken.find(has)?.name;
  const sameName = owner((i) => i.name === candidate.name);
  if (sameName) problems.push(`an integration named "${candidate.name}" is already loaded (listed twice?)`);
  for (const [kind, label] of [['channels', 'channel_type'], ['bots', 'bot_type'], ['voiceEngines', 'voice engine']] as const) {
    for (const name of Object.keys(candidate[kind] ?? {})) {
      const by = owner((i) => Object.hasOwn(i[kind] ?? {}, name));
      if (by) problems.push(`${label} "${name}" is already offered by ${by}: give yours another name`);
    }
  }
  for (const section of candidate.config ?? []) {
    for (const key of Object.keys(section.shape)) {
      const by = owner((i) => (i.config ?? []).some((s) => Object.hasOwn(s.shape, key)));
      if (by) problems.push(`config key ${key} is already declared by ${by}: prefix your keys with your integration's name`);
    }
  }
  return problems;
}

function isSection(value: unknown): boolean {
  return isObject(value) && typeof value.title === 'string' && isObject(value.shape) && typeof value.read === 'function';
}

function isObject(value: unknown): value is Fields {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'function') return 'a function';
  return `a ${typeof value}`;
}
