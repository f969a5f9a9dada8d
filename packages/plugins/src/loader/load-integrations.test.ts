import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ConfigError, defineConfigSection, defineIntegration, z, type IntegrationServices } from '@wecom-bot/core';
import { coreIntegration, validateConfig } from '@wecom-bot/core/runtime';
import { foreignSectionProblems, loadIntegrations } from './load-integrations.js';

const fixtures = fileURLToPath(new URL('./fixtures/integrations', import.meta.url));
const load = (entries: string[], timeLimitMs?: number) => loadIntegrations(entries, { baseDir: fixtures, builtins: [coreIntegration], timeLimitMs });

describe('user integration loader', () => {
  it('loads an integration from a path relative to config.json’s folder, by its default export', async () => {
    const outcome = await load(['./tiny-bot.mjs']);
    expect(outcome.problems).toEqual([]);
    expect(outcome.loaded.map((l) => [l.from, l.integration.name, Object.keys(l.integration.bots ?? {})])).toEqual([['./tiny-bot.mjs', 'tiny', ['tiny']]]);
  });

  it('reports every broken one by its path or name, with the reason, and keeps the good ones', async () => {
    const outcome = await load([
      './throws-on-import.mjs',
      './no-export.mjs',
      './not-an-object.mjs',
      './no-name.mjs',
      './bad-offers.mjs',
      './takes-terminal.mjs',
      './missing.mjs',
      'wecom-bot-integration-not-installed',
      './tiny-bot.mjs',
      './tiny-bot.mjs',
    ]);
    expect(outcome.loaded.map((l) => l.integration.name)).toEqual(['tiny']);
    expect(outcome.problems).toEqual([
      'integration ./throws-on-import.mjs: it threw while loading: this integration is broken on purpose',
      'integration ./no-export.mjs: the module exports no integration: `export default defineIntegration({ … })` or `export const integration = …`',
      'integration ./not-an-object.mjs: it exports a function, not an integration: export default defineIntegration({ name, … }) from @wecom-bot/core',
      'integration ./no-name.mjs: its integration has no name: give it a non-empty "name"',
      'integration ./bad-offers.mjs: config[0] is not a config section: build it with defineConfigSection from @wecom-bot/core; ' +
        'channels.mine.create is not a function: offer { create: (services) => … }; bots.helper.create is not a function: offer { create: (services) => … }; "check" must be a function',
      'integration clash (./takes-terminal.mjs): channel_type "terminal" is already offered by core: give yours another name; ' +
        "config key log_level is already declared by core: prefix your keys with your integration's name",
      `integration ./missing.mjs: file not found: ${join(fixtures, 'missing.mjs')}`,
      `integration wecom-bot-integration-not-installed: cannot find the package "wecom-bot-integration-not-installed" from ${fixtures}: install it there (pnpm add wecom-bot-integration-not-installed) or give a path`,
      'integration tiny (./tiny-bot.mjs): an integration named "tiny" is already loaded (listed twice?); bot_type "tiny" is already offered by tiny: give yours another name',
    ]);
  });

  it('gives up on a module that never finishes loading', async () => {
    const outcome = await load(['./hangs-on-import.mjs'], 200);
    expect(outcome.problems).toEqual(['integration ./hangs-on-import.mjs: it did not load within 0.2 s']);
  });

  it('turns a throw in its channel’s create into a ConfigError naming it (exit 1, not an internal error)', async () => {
    const [loaded] = (await load(['./create-throws.mjs'])).loaded;
    const services = {} as IntegrationServices; // create throws before reading anything
    expect(() => loaded!.integration.channels!.fragile!.create(services)).toThrow(ConfigError);
    expect(() => loaded!.integration.channels!.fragile!.create(services)).toThrow(
      'integration create-throws (./create-throws.mjs): creating channel fragile failed: the fragile channel cannot open its device',
    );
  });

  it('says when a config section comes from another copy of @wecom-bot/core', () => {
    const ours = defineConfigSection({ title: 'ours', shape: { ours_key: z.string().default('') } });
    // What another copy's defineConfigSection makes: the same shape, but a read() that was never told of the validation.
    const foreign = {
      ...ours,
      title: 'theirs',
      read: (): never => {
        throw new Error('the config was not validated with the theirs section');
      },
    };
    const integrations = [defineIntegration({ name: 'fine', config: [ours] }), defineIntegration({ name: 'copied', config: [foreign] })];
    const { config } = validateConfig({}, [ours, foreign]);
    expect(foreignSectionProblems(integrations, config)).toEqual([
      'integration copied: its config section "theirs" comes from another copy of @wecom-bot/core; make @wecom-bot/core a peerDependency so it uses the bot\'s own',
    ]);
  });
});
