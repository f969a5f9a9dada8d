import { ConfigError, coreConfigSection, type CheckItem } from '@wecom-bot/core';
import { integrations } from '../integrations.js';
import { inspectAppConfig, locateConfig, type ConfigMode } from '../load.js';
import { inspectUserIntegrations } from '../user-integrations.js';
import { runLiveChecks } from './check-live.js';

const MARK = { ok: '✓', warn: '!', error: '✗' } as const;

export interface CheckOptions {
  /** Also prove the setup against the platforms (credentials, trusted IP, public URL); nothing is sent to users. */
  live?: boolean;
  /** Time limit of each integration's live check. */
  liveTimeoutMs?: number;
}

/**
 * Validates the config and asks every package what its part needs (keys, URLs, ffmpeg),
 * printing one line each; with `live`, then runs the chosen channel's and bot's live checks.
 * Exit code 1 when anything would stop start-up or a live check failed.
 */
export async function checkCommand(configOption: string | undefined, out: NodeJS.WritableStream = process.stdout, options: CheckOptions = {}): Promise<number> {
  const location = locateConfig(configOption);
  let inspected, user;
  try {
    // The user's integrations first: their sections take part in validating config.json.
    user = await inspectUserIntegrations(location);
    inspected = inspectAppConfig(location, user.loaded.map((u) => u.integration));
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    out.write(`${error.message}\n`);
    return 1;
  }
  const items: CheckItem[] = [];
  const source: Record<ConfigMode, CheckItem | undefined> = {
    file: { level: 'ok', message: `config file ${location.path}` },
    environment: { level: 'ok', message: `no config file at ${location.path}: checking the settings from the environment over the defaults` },
    demo: { level: 'warn', message: `nothing configured: \`wecom-bot start\` on this terminal runs the demo (terminal channel, echo bot); \`wecom-bot init\` writes a config file` },
    unconfigured: undefined, // the first problem says it all
  };
  const first = source[inspected.mode];
  if (first) items.push(first);
  items.push(...inspected.warnings.map((message): CheckItem => ({ level: 'warn', message })));
  items.push(...user.loaded.map(({ from, integration }): CheckItem => ({ level: 'ok', message: `integration ${integration.name} loads from ${from}` })));
  items.push(...user.problems.map((message): CheckItem => ({ level: 'error', message })));
  items.push(...inspected.problems.map((message): CheckItem => ({ level: 'error', message })));
  const chosen = coreConfigSection.read(inspected.config);
  const configPath = inspected.fromFile ? location.path : undefined;
  for (const integration of [...integrations, ...user.loaded.map((u) => u.integration)]) {
    // The chosen channel's and bot's own lines, then what the integration always checks.
    const checks = [integration.channels?.[chosen.channel_type]?.check, integration.bots?.[chosen.bot_type]?.check, integration.check];
    for (const check of checks) {
      if (!check) continue;
      try {
        items.push(...(await check(inspected.config, { configPath })));
      } catch (error) {
        items.push({ level: 'error', message: `${integration.name}: check failed: ${(error as Error).message}` });
      }
    }
  }
  out.write(`wecom-bot check: channel ${chosen.channel_type}, bot ${chosen.bot_type}\n`);
  for (const item of items) out.write(`${MARK[item.level]} ${item.message}\n`);
  if (options.live) {
    if (items.some((i) => i.level === 'error')) {
      out.write('Live checks skipped: fix the problems above first.\n');
    } else {
      out.write('Live checks (nothing is sent to users):\n');
      const live = await runLiveChecks([...integrations, ...user.loaded.map((u) => u.integration)], {
        config: inspected.config,
        channelType: chosen.channel_type,
        botType: chosen.bot_type,
        configPath,
        secretValues: inspected.secretValues,
        timeoutMs: options.liveTimeoutMs,
      });
      if (live.length === 0) live.push({ level: 'ok', message: `nothing to check live for channel ${chosen.channel_type} and bot ${chosen.bot_type}` });
      for (const item of live) out.write(`${MARK[item.level]} ${item.message}\n`);
      items.push(...live);
    }
  }
  const errors = items.filter((i) => i.level === 'error').length;
  out.write(errors === 0 ? 'Ready to start.\n' : `${errors} problem${errors === 1 ? '' : 's'} to fix before \`wecom-bot start\`.\n`);
  return errors === 0 ? 0 : 1;
}
