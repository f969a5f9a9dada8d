import { join } from 'node:path';
import { lockedBy } from '@wecom-bot/core';
import type { WecomBotConfig } from './config.js';

/**
 * Whether a `wecom-bot start` with this config seems to run on this machine: its ops server
 * answers (websocket mode), or a live process holds the disk store's lock in its data_dir.
 * WeCom allows one long connection per bot: a check that logged in would take the bot over
 * from it, so the check asks first. Says how it knows, or undefined.
 */
export async function runningInstance(c: WecomBotConfig, dataDir: string, signal: AbortSignal): Promise<string | undefined> {
  // Relative to the working directory, as `wecom-bot start` opens it.
  const pid = lockedBy(join(dataDir, 'state'));
  if (pid !== undefined) return `process ${pid} holds this config's data_dir`;
  if (c.wecom_bot_ops_port <= 0) return undefined;
  const host = c.wecom_bot_host === '0.0.0.0' || c.wecom_bot_host === '::' ? '127.0.0.1' : c.wecom_bot_host;
  try {
    const response = await fetch(`http://${host.includes(':') ? `[${host}]` : host}:${c.wecom_bot_ops_port}/readyz`, { signal: AbortSignal.any([signal, AbortSignal.timeout(1000)]) });
    const body = (await response.json().catch(() => ({}))) as { checks?: { channel?: { detail?: string } } };
    return `its ops server on port ${c.wecom_bot_ops_port} answers (${body.checks?.channel?.detail ?? `HTTP ${response.status}`})`;
  } catch {
    return undefined;
  }
}
