import { Writable } from 'node:stream';
import pino from 'pino';
import pretty from 'pino-pretty';
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

/**
 * A pino logger whose every line is scrubbed of known secrets before it is written:
 * human-readable on a terminal, JSON lines otherwise.
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
  const stream = usePretty
    ? pretty({ destination: scrubbed, colorize: Boolean(destination.isTTY), translateTime: 'SYS:HH:MM:ss', ignore: 'pid,hostname', sync: true })
    : scrubbed;
  return pino({ level: options.level ?? 'info', base: undefined }, stream);
}
