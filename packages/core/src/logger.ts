import { Writable } from 'node:stream';
import { createRequire } from 'node:module';
import pino from 'pino';
import type { SecretRegistry } from './secrets.js';

export type Logger = pino.Logger;

export interface LoggerOptions {
  level?: string;
  secrets: SecretRegistry;
  /** Human-readable lines; defaults to whether the destination is a terminal. */
  pretty?: boolean;
  /** Defaults to stderr, so stdout stays free for the terminal channel. */
  destination?: NodeJS.WritableStream & { isTTY?: boolean };
}

// pino-pretty (and its dependencies) are loaded only for a terminal: a service writing JSON
// lines never needs them, and they cost start-up time.
const require = createRequire(import.meta.url);
const loadPretty = () => require('pino-pretty') as typeof import('pino-pretty');

/**
 * A pino logger whose every line is scrubbed of known secrets before it is written:
 * human-readable on a terminal, JSON lines otherwise, with an ISO-8601 `time` and the level's
 * name (`"level":"warn"`), as log collectors read them without a pino-specific mapping.
 */
export function createLogger(options: LoggerOptions): Logger {
  const destination = options.destination ?? process.stderr;
  const scrubbed = new Writable({
    write(chunk: Buffer | string, _encoding, done) {
      destination.write(options.secrets.redact(chunk.toString()));
      done();
    },
  });
  const usePretty = options.pretty ?? Boolean(destination.isTTY);
  if (usePretty) {
    // pino-pretty reads pino's own numeric levels and epoch times: keep those for it.
    const stream = loadPretty()({ destination: scrubbed, colorize: Boolean(destination.isTTY), translateTime: 'SYS:HH:MM:ss', ignore: 'pid,hostname', sync: true });
    return pino({ level: options.level ?? 'info', base: undefined }, stream);
  }
  return pino(
    {
      level: options.level ?? 'info',
      base: undefined,
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
    },
    scrubbed,
  );
}
