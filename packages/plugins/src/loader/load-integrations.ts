import { ConfigError, withinTime, type AppConfig, type ChannelOffer, type Integration } from '@wecom-bot/core';
import { integrationConflicts, integrationShapeProblem } from './integration-shape.js';
import { DEFAULT_TIME_LIMIT_MS } from './load-user-plugins.js';
import { importModule } from './import-module.js';
import { resolvePluginModule } from './resolve-module.js';

/** One user integration that loaded, with the `integrations` entry it came from. */
export interface LoadedIntegration {
  from: string;
  integration: Integration;
}

export interface IntegrationsOutcome {
  loaded: LoadedIntegration[];
  /** One line per broken entry: its path or package (and name once known), and why. */
  problems: string[];
}

export interface LoadIntegrationsOptions {
  /** Relative paths and packages resolve from here: config.json's folder. */
  baseDir: string;
  /** What is offered already (the CLI's own packages): a user integration may not take their names or keys. */
  builtins: readonly Integration[];
  /** Per integration, for its import (default 10 s): a module that hangs never stops start-up silently. */
  timeLimitMs?: number;
}

/**
 * Loads the user integrations named in config `integrations` (paths or npm packages,
 * resolved as user plugins are). Unlike a broken plugin, a broken integration is not
 * skipped: its channel, bot or config keys may be what the config names, so every problem
 * is returned for the caller to refuse start-up with.
 */
export async function loadIntegrations(entries: readonly string[], options: LoadIntegrationsOptions): Promise<IntegrationsOutcome> {
  const limitMs = options.timeLimitMs ?? DEFAULT_TIME_LIMIT_MS;
  const outcome: IntegrationsOutcome = { loaded: [], problems: [] };
  for (const from of entries) {
    let integration: Integration;
    try {
      integration = await withinTime(importIntegration(from, options.baseDir), limitMs, `it did not load within ${limitMs / 1000} s`);
    } catch (error) {
      outcome.problems.push(`integration ${from}: ${firstLine(error)}`);
      continue;
    }
    const conflicts = integrationConflicts(integration, [...options.builtins, ...outcome.loaded.map((l) => l.integration)]);
    if (conflicts.length > 0) outcome.problems.push(`integration ${integration.name} (${from}): ${conflicts.join('; ')}`);
    else outcome.loaded.push({ from, integration: blamed(integration, from) });
  }
  return outcome;
}

/** Imports one entry and checks that its default export (or `integration`) is an Integration. */
export async function importIntegration(from: string, baseDir: string): Promise<Integration> {
  const url = resolvePluginModule(from, baseDir); // its own errors say what to install or fix
  let module: { default?: unknown; integration?: unknown };
  try {
    module = (await importModule(url)) as typeof module;
  } catch (error) {
    throw new Error(`it threw while loading: ${firstLine(error)}`);
  }
  const exported = module.default ?? module.integration;
  if (exported === undefined) throw new Error('the module exports no integration: `export default defineIntegration({ … })` or `export const integration = …`');
  const problem = integrationShapeProblem(exported);
  if (problem) throw new Error(problem);
  return exported as Integration;
}

/**
 * After the config was validated with every section: a section that still cannot read it
 * was made by another copy of @wecom-bot/core (the integration installed its own), whose
 * bookkeeping the bot's copy never filled. Said at start-up rather than at the first message.
 */
export function foreignSectionProblems(integrations: readonly Integration[], config: AppConfig): string[] {
  const problems: string[] = [];
  for (const integration of integrations) {
    for (const section of integration.config ?? []) {
      try {
        section.read(config);
      } catch {
        problems.push(
          `integration ${integration.name}: its config section "${section.title}" comes from another copy of @wecom-bot/core; make @wecom-bot/core a peerDependency so it uses the bot's own`,
        );
      }
    }
  }
  return problems;
}

/**
 * The integration, with the user code that runs while the app is built (a channel's
 * `create`, `plugins`) throwing a ConfigError that names it: exit 1 and the reason, the
 * user's to fix, rather than an internal error with a stack. Other members are inherited.
 */
function blamed(integration: Integration, from: string): Integration {
  const blame = (what: string, error: unknown) => new ConfigError([`integration ${integration.name} (${from}): ${what} failed: ${firstLine(error)}`], from);
  const overrides: { channels?: Record<string, ChannelOffer>; plugins?: Integration['plugins'] } = {};
  if (integration.channels) {
    const offers = Object.entries(integration.channels).map(([name, offer]): [string, ChannelOffer] => [
      name,
      {
        check: offer.check?.bind(offer),
        create(services) {
          try {
            return offer.create(services);
          } catch (error) {
            throw blame(`creating channel ${name}`, error);
          }
        },
      },
    ]);
    overrides.channels = Object.fromEntries(offers);
  }
  const { plugins } = integration;
  if (plugins) {
    overrides.plugins = async (services) => {
      try {
        await plugins.call(integration, services);
      } catch (error) {
        throw blame('adding its plugins', error);
      }
    };
  }
  return Object.assign(Object.create(integration) as Integration, overrides);
}

function firstLine(error: unknown): string {
  return error instanceof Error ? error.message.split('\n')[0]! : String(error);
}
