import { Writable } from 'node:stream';
import type { Logger, SecretRegistry } from '@wecom-bot/core';
import { createLogger } from '@wecom-bot/core/runtime';
import type { Hub } from './hub.js';
import type { ChatId } from './protocol.js';

const LEVELS: Record<string, number> = { trace: 10, debug: 20, info: 30, warn: 40, error: 50, fatal: 60, silent: Infinity };
const NAMES: Record<number, string> = { 10: 'TRACE', 20: 'DEBUG', 30: 'INFO', 40: 'WARN', 50: 'ERROR', 60: 'FATAL' };

/**
 * One logger for both sides: each line (scrubbed of secrets by core's logger) goes to the
 * panel from info up, and to the terminal from the configured `log_level` up, so the
 * terminal stays as quiet as the user asked while the panel shows how a message went.
 */
export function devLogger(options: { secrets: SecretRegistry; level: string; hub: Hub; terminal: NodeJS.WritableStream }): Logger {
  const terminalLevel = LEVELS[options.level] ?? LEVELS.info!;
  const tee = new Writable({
    write(chunk: Buffer | string, _encoding, done) {
      for (const text of chunk.toString().split('\n')) if (text.trim() !== '') line(text);
      done();
    },
  });
  const line = (text: string) => {
    let entry: Record<string, unknown>;
    try {
      entry = JSON.parse(text) as Record<string, unknown>;
    } catch {
      options.terminal.write(`${text}\n`);
      return;
    }
    const { level, time, msg, chat, ...rest } = entry;
    // Core's JSON lines carry the level by name and an ISO-8601 time.
    const value = LEVELS[String(level)] ?? LEVELS.info!;
    const side = chat === 'app' || chat === 'group' ? (chat as ChatId) : undefined;
    const err = (rest.err as { message?: string } | undefined)?.message;
    if (value >= terminalLevel) {
      const clock = new Date(typeof time === 'string' ? time : Date.now()).toTimeString().slice(0, 8);
      options.terminal.write(`${clock} ${(NAMES[value] ?? 'LOG').padEnd(5)} ${side ? `[${side}] ` : ''}${String(msg ?? '')}${err ? ` (${err})` : ''}\n`);
    }
    if (value >= LEVELS.info!) {
      const details = Object.keys(rest).length > 0 ? JSON.stringify(rest, null, 2) : undefined;
      options.hub.record({ chat: side, kind: 'log', title: `${NAMES[value] ?? 'LOG'} ${String(msg ?? '')}`, ok: value < LEVELS.warn!, request: details });
    }
  };
  // The panel wants info lines even when the terminal shows only warnings.
  const level = terminalLevel < LEVELS.info! ? options.level : 'info';
  return createLogger({ level, secrets: options.secrets, destination: tee, pretty: false });
}
