import type { Logger } from '@wecom-bot/core';

/** How often a request to a path we do not serve is logged: scanners send thousands. */
export const UNKNOWN_PATH_LOG_INTERVAL_MS = 60_000;

/**
 * Logs a request to a path other than the callback's: usually the URL in the admin console
 * and wechatcomapp_path disagree (a layout moved from another tool), so the warning names the
 * configured path. One line per interval, counting what it left out.
 */
export function unknownPathWarner(logger: Logger, callbackPath: string, now: () => number = Date.now, intervalMs = UNKNOWN_PATH_LOG_INTERVAL_MS) {
  let lastLogged = -Infinity;
  let suppressed = 0;
  return (method: string, path: string, ip: string): void => {
    if (now() - lastLogged < intervalMs) {
      suppressed += 1;
      return;
    }
    const more = suppressed > 0 ? ` (${suppressed} more such requests since the last warning)` : '';
    logger.warn(
      { method, path: path.slice(0, 200), ip, suppressed },
      `request to ${path.slice(0, 200)}, which is not the callback path: WeCom calls ${callbackPath} (wechatcomapp_path); make the URL in the admin console end with it${more}`,
    );
    lastLogged = now();
    suppressed = 0;
  };
}
