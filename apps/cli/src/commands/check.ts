import { ConfigError, coreConfigSection, type CheckItem } from '@wecom-bot/core';
import { integrations } from '../integrations.js';
import { inspectAppConfig, locateConfig } from '../load.js';

const MARK = { ok: '✓', warn: '!', error: '✗' } as const;

/**
 * Validates the config and asks every package what its part needs (keys, URLs, ffmpeg),
 * printing one line each. Exit code 1 when anything would stop start-up.
 */
export async function checkCommand(configOption: string | undefined, out: NodeJS.WritableStream = process.stdout): Promise<number> {
  const location = locateConfig(configOption);
  let inspected;
  try {
    inspected = inspectAppConfig(location);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    out.write(`${error.message}\n`);
    return 1;
  }
  const items: CheckItem[] = [];
  items.push(
    inspected.fromFile
      ? { level: 'ok', message: `config file ${location.path}` }
      : { level: 'warn', message: `no config file at ${location.path}: checking the demo settings (\`wecom-bot init\` writes one)` },
  );
  items.push(...inspected.warnings.map((message): CheckItem => ({ level: 'warn', message })));
  items.push(...inspected.problems.map((message): CheckItem => ({ level: 'error', message })));
  const chosen = coreConfigSection.read(inspected.config);
  const configPath = inspected.fromFile ? location.path : undefined;
  for (const integration of integrations) {
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
  const errors = items.filter((i) => i.level === 'error').length;
  out.write(errors === 0 ? 'Ready to start.\n' : `${errors} problem${errors === 1 ? '' : 's'} to fix before \`wecom-bot start\`.\n`);
  return errors === 0 ? 0 : 1;
}
