import { SecretRegistry, type AppConfig, type CheckItem, type Integration, type LiveCheck } from '@wecom-bot/core';
import { createLogger } from '@wecom-bot/core/runtime';

/** Each integration's live check gets this long before it counts as failed. */
export const LIVE_CHECK_TIMEOUT_MS = 20_000;

export interface LiveCheckRun {
  config: AppConfig;
  channelType: string;
  botType: string;
  configPath?: string;
  /** The config's secret values: masked in every line, whatever a server echoed. */
  secretValues: readonly string[];
  timeoutMs?: number;
}

/**
 * Runs the live checks of the chosen channel and bot and the integration-wide ones, side by
 * side, each within its time limit; the lines come back in integration order.
 */
export async function runLiveChecks(integrations: readonly Integration[], run: LiveCheckRun): Promise<CheckItem[]> {
  const secrets = new SecretRegistry();
  for (const value of run.secretValues) secrets.add(value);
  const logger = createLogger({ level: 'silent', secrets });
  const timeoutMs = run.timeoutMs ?? LIVE_CHECK_TIMEOUT_MS;
  const checks = integrations.flatMap((integration) =>
    [integration.channels?.[run.channelType]?.checkLive, integration.bots?.[run.botType]?.checkLive, integration.checkLive]
      .filter((check): check is LiveCheck => check !== undefined)
      .map((check) => ({ name: integration.name, check })),
  );
  const results = await Promise.all(
    checks.map(async ({ name, check }): Promise<CheckItem[]> => {
      const signal = AbortSignal.timeout(timeoutMs);
      const late = new Promise<CheckItem[]>((resolve) => {
        signal.addEventListener('abort', () => resolve([{ level: 'error', message: `${name}: the live check got no answer within ${timeoutMs / 1000} s` }]), { once: true });
      });
      try {
        return await Promise.race([check(run.config, { configPath: run.configPath, signal, logger }), late]);
      } catch (error) {
        return [{ level: 'error', message: `${name}: live check failed: ${(error as Error).message}` }];
      }
    }),
  );
  return results.flat().map((item) => ({ ...item, message: secrets.redact(item.message) }));
}
